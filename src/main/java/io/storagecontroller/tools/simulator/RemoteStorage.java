package io.storagecontroller.tools.simulator;

import io.storagecontroller.model.Generation;
import io.storagecontroller.model.LocationConfigMode;
import io.storagecontroller.model.NodeId;
import io.storagecontroller.model.TenantId;
import io.storagecontroller.model.TenantShardId;
import io.storagecontroller.model.TimelineId;
import io.storagecontroller.pageserver.RemoteStorageScan;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;

/**
 * The fleet's remote storage: what survives any pageserver's crash. Per tenant shard it keeps the
 * highest generation ever attached (a real pageserver reads it from the generation suffixes of the
 * index objects), the timelines, and when a heatmap was last uploaded.
 *
 * <p>Attachments and deletions take effect here together with their entry in the {@link
 * SafetyRecorder}, under one lock, so the record's order is the order in which generations reached
 * the fleet.
 */
public final class RemoteStorage {
  private static final class Shard {
    Generation highest;
    Long stripeSize;
    final Map<TimelineId, SimulatedTimeline> timelines = new TreeMap<>();
    Instant heatmapUploadedAt;
  }

  private final SafetyRecorder recorder;
  private final Map<TenantShardId, Shard> shards = new HashMap<>();
  private final Map<TenantId, Long> logicalSizes = new HashMap<>();

  public RemoteStorage(SafetyRecorder recorder) {
    this.recorder = recorder;
  }

  /** The highest generation any pageserver has attached the shard with. */
  public synchronized Optional<Generation> highestGeneration(TenantShardId shard) {
    return Optional.ofNullable(shards.get(shard)).map(s -> s.highest);
  }

  public synchronized Set<TimelineId> timelineIds(TenantShardId shard) {
    Shard s = shards.get(shard);
    return s == null ? Set.of() : new TreeSet<>(s.timelines.keySet());
  }

  /**
   * Sets the logical size of the tenant's largest timeline, what a pageserver's {@code top_tenants}
   * reports (tests grow a tenant past the auto-split threshold with it). A split keeps it: the
   * tenant's data does not change by being split.
   */
  public synchronized void setLogicalSize(TenantId tenant, long bytes) {
    if (bytes < 0) {
      throw new IllegalArgumentException("a logical size is not negative: " + bytes);
    }
    logicalSizes.put(tenant, bytes);
  }

  /** The logical size of the tenant's largest timeline; 0 until set. */
  public synchronized long logicalSize(TenantId tenant) {
    return logicalSizes.getOrDefault(tenant, 0L);
  }

  /**
   * A pageserver's {@code scan_remote_storage}: every shard of the tenant stored here (a split's
   * parents too, until deleted), with the highest generation that attached it and its stripe size.
   */
  synchronized List<RemoteStorageScan.Shard> scan(TenantId tenant) {
    List<RemoteStorageScan.Shard> found = new ArrayList<>();
    shards.forEach(
        (id, shard) -> {
          if (id.tenantId().equals(tenant) && shard.highest != null) {
            found.add(new RemoteStorageScan.Shard(id, shard.highest.value(), shard.stripeSize));
          }
        });
    found.sort(Comparator.comparing(RemoteStorageScan.Shard::tenantShardId));
    return found;
  }

  synchronized boolean holds(TenantShardId shard) {
    return shards.containsKey(shard);
  }

  /**
   * Attaches {@code shard} on {@code node} and records it, unless a higher generation has been
   * attached before: then nothing changes and that generation is returned.
   */
  synchronized Optional<Generation> attach(
      NodeId node,
      TenantShardId shard,
      LocationConfigMode mode,
      Generation gen,
      long stripeSize,
      String cause) {
    Optional<Generation> newer = newerThan(shard, gen);
    if (newer.isEmpty()) {
      raise(shard, gen).stripeSize = stripeSize;
      recorder.location(node, shard, mode, gen, cause);
    }
    return newer;
  }

  /**
   * Attaches every child of a split with the parent's generation and gives each the parent's
   * timelines, or changes nothing and returns a child's higher generation.
   */
  synchronized Optional<Generation> split(
      NodeId node,
      TenantShardId parent,
      List<TenantShardId> children,
      LocationConfigMode mode,
      Generation gen) {
    for (TenantShardId child : children) {
      Optional<Generation> newer = newerThan(child, gen);
      if (newer.isPresent()) {
        return newer;
      }
    }
    Shard from = shards.computeIfAbsent(parent, p -> new Shard());
    for (TenantShardId child : children) {
      Shard to = raise(child, gen);
      to.timelines.putAll(from.timelines);
      to.stripeSize = from.stripeSize;
      to.heatmapUploadedAt = from.heatmapUploadedAt;
      recorder.location(node, child, mode, gen, "shard_split");
    }
    recorder.location(node, parent, LocationConfigMode.DETACHED, null, "shard_split");
    return Optional.empty();
  }

  synchronized Map<TimelineId, SimulatedTimeline> timelines(TenantShardId shard) {
    Shard s = shards.get(shard);
    return s == null ? Map.of() : new TreeMap<>(s.timelines);
  }

  synchronized void putTimeline(TenantShardId shard, SimulatedTimeline timeline) {
    shards.computeIfAbsent(shard, s -> new Shard()).timelines.put(timeline.id(), timeline);
  }

  /** Deletes a timeline's objects if {@code execute}, and records the decision either way. */
  synchronized void deleteTimeline(
      NodeId node,
      TenantShardId shard,
      Generation gen,
      TimelineId timeline,
      boolean execute,
      String reason) {
    Shard s = shards.get(shard);
    if (execute && s != null) {
      s.timelines.remove(timeline);
    }
    recorder.deletion(node, shard, gen, "timeline " + timeline, execute, reason);
  }

  /** Deletes everything of a shard if {@code execute}, and records the decision either way. */
  synchronized void deleteShard(
      NodeId node, TenantShardId shard, Generation gen, boolean execute, String reason) {
    if (execute) {
      shards.remove(shard);
    }
    recorder.deletion(node, shard, gen, "tenant", execute, reason);
  }

  synchronized void heatmapUploaded(TenantShardId shard, Instant at) {
    shards.computeIfAbsent(shard, s -> new Shard()).heatmapUploadedAt = at;
  }

  synchronized Optional<Instant> heatmapUploadedAt(TenantShardId shard) {
    return Optional.ofNullable(shards.get(shard)).map(s -> s.heatmapUploadedAt);
  }

  private Optional<Generation> newerThan(TenantShardId shard, Generation gen) {
    Shard s = shards.get(shard);
    return s == null || s.highest == null || s.highest.compareTo(gen) <= 0
        ? Optional.empty()
        : Optional.of(s.highest);
  }

  private Shard raise(TenantShardId shard, Generation gen) {
    Shard s = shards.computeIfAbsent(shard, k -> new Shard());
    if (s.highest == null || s.highest.compareTo(gen) < 0) {
      s.highest = gen;
    }
    return s;
  }
}
