package io.storagecontroller.tools.simulator;

import io.storagecontroller.model.TenantShardId;
import io.storagecontroller.model.TimelineId;
import io.storagecontroller.pageserver.LocationConfig;
import java.time.Instant;
import java.util.HashSet;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;

/**
 * One tenant shard as one pageserver holds it. Attached locations load their timelines from remote
 * storage; secondaries only download layers. Guarded by the lock of the owning {@link
 * LocalTenants}.
 */
final class Location {
  final TenantShardId id;
  final Instant since;
  LocationConfig config;
  final Map<TimelineId, SimulatedTimeline> timelines = new TreeMap<>();
  final Set<TimelineId> deletingTimelines = new HashSet<>();
  SecondaryDownload download;

  Location(TenantShardId id, Instant since, LocationConfig config) {
    this.id = id;
    this.since = since;
    this.config = config;
  }

  boolean inAttachedMode() {
    return config.inAttachedMode();
  }

  /** Whether another live timeline branches from this one (then it cannot be deleted). */
  boolean hasChildren(TimelineId timeline) {
    return timelines.values().stream()
        .anyMatch(t -> timeline.equals(t.ancestorId()) && !deletingTimelines.contains(t.id()));
  }
}
