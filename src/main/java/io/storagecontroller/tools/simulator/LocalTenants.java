package io.storagecontroller.tools.simulator;

import io.storagecontroller.http.ApiError;
import io.storagecontroller.model.Generation;
import io.storagecontroller.model.LocationConfigMode;
import io.storagecontroller.model.NodeId;
import io.storagecontroller.model.ShardCount;
import io.storagecontroller.model.ShardNumber;
import io.storagecontroller.model.TenantShardId;
import io.storagecontroller.model.TimelineId;
import io.storagecontroller.pageserver.LocationConfig;
import io.storagecontroller.pageserver.PageserverJson;
import io.storagecontroller.upcall.ReAttachResponse;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.function.Function;
import java.util.function.Supplier;

/**
 * The tenant shards one pageserver holds in memory: what a crash forgets. Every change is recorded
 * in the fleet's safety record while this lock is held, so one node's entries are in order; a
 * crashed instance refuses further changes so that late requests cannot record phantom locations.
 */
final class LocalTenants {
  private final NodeId node;
  private final FleetResources fleet;
  private final Map<TenantShardId, Location> locations = new TreeMap<>();
  private boolean forgotten;

  LocalTenants(NodeId node, FleetResources fleet) {
    this.node = node;
    this.fleet = fleet;
  }

  /**
   * Puts the shard in the wanted location; 409 for an attachment with a generation older than one
   * remote storage has seen, like a pageserver that finds a newer generation's index.
   */
  synchronized void configure(TenantShardId id, LocationConfig wanted, String cause) {
    requireAlive();
    Location current = locations.get(id);
    Instant now = fleet.clock().instant();
    if (wanted.mode() == LocationConfigMode.DETACHED) {
      if (locations.remove(id) != null) {
        fleet.recorder().location(node, id, LocationConfigMode.DETACHED, null, cause);
      }
      return;
    }
    Location location = current != null ? current : new Location(id, now, wanted);
    if (wanted.mode() == LocationConfigMode.SECONDARY) {
      location.timelines.clear();
      location.deletingTimelines.clear();
      fleet.recorder().location(node, id, LocationConfigMode.SECONDARY, null, cause);
      if (wanted.secondaryConf() != null
          && wanted.secondaryConf().warm()
          && location.download == null) {
        location.download = startDownload(id, location, now);
      }
    } else {
      Generation generation = Generation.of(wanted.generation());
      fleet
          .remote()
          .attach(node, id, wanted.mode(), generation, wanted.shardStripeSize(), cause)
          .ifPresent(
              newer -> {
                throw ApiError.conflict(
                    "generation "
                        + generation
                        + " of "
                        + id
                        + " is stale: generation "
                        + newer
                        + " has been attached");
              });
      if (current != null && !current.inAttachedMode()) {
        fleet
            .recorder()
            .promoted(node, id, current.download != null && current.download.isComplete(now));
      }
      if (current == null || !current.inAttachedMode()) {
        location.timelines.putAll(fleet.remote().timelines(id));
        location.download = null;
      }
    }
    location.config = wanted;
    locations.put(id, location);
  }

  /**
   * Applies a re-attach answer: the listed shards in their mode (attached ones with their new
   * generation, secondaries warm), and nothing else.
   */
  synchronized void reAttach(ReAttachResponse response) {
    Set<TenantShardId> listed = new HashSet<>();
    for (ReAttachResponse.Tenant tenant : response.tenants()) {
      TenantShardId id = tenant.id();
      LocationConfigMode mode =
          tenant.mode() == null ? LocationConfigMode.ATTACHED_SINGLE : tenant.mode();
      boolean secondary = mode == LocationConfigMode.SECONDARY;
      if (!secondary && tenant.gen() == null) {
        continue; // an attachment without generation cannot be honoured
      }
      LocationConfig config =
          new LocationConfig(
              mode,
              secondary ? null : tenant.gen(),
              secondary ? new LocationConfig.SecondaryConfig(true) : null,
              id.shardNumber().value(),
              id.shardCount().literal(),
              tenant.stripeSize(),
              PageserverJson.mapper().createObjectNode());
      try {
        configure(id, config, "re-attach");
        listed.add(id);
      } catch (ApiError stale) {
        // A stale generation in the answer: this node keeps nothing for the shard.
      }
    }
    for (TenantShardId id : List.copyOf(locations.keySet())) {
      if (!listed.contains(id)) {
        locations.remove(id);
        fleet.recorder().location(node, id, LocationConfigMode.DETACHED, null, "re-attach");
      }
    }
  }

  /**
   * Splits an attached parent into its children on this node: shard numbers s in [0, new count)
   * with s mod old count equal to the parent's number, each with the parent's mode and generation.
   * Repeating a completed split answers the same children.
   */
  synchronized List<TenantShardId> split(TenantShardId parent, int newCount, Long newStripe) {
    requireAlive();
    int oldCount = parent.shardCount().count();
    if (newCount <= oldCount || newCount > 255 || newCount % oldCount != 0) {
      throw ApiError.badRequest(
          "cannot split "
              + oldCount
              + " shard(s) into "
              + newCount
              + ": the new count must be a larger multiple, at most 255");
    }
    List<TenantShardId> children = new ArrayList<>();
    for (int s = parent.shardNumber().value(); s < newCount; s += oldCount) {
      children.add(
          new TenantShardId(parent.tenantId(), ShardNumber.of(s), ShardCount.of(newCount)));
    }
    Location location = locations.get(parent);
    if (location == null || !location.inAttachedMode()) {
      if (location == null && children.stream().allMatch(this::isAttached)) {
        return children;
      }
      throw ApiError.notFound("tenant shard " + parent + " is not attached here");
    }
    LocationConfig from = location.config;
    long stripe = oldCount == 1 && newStripe != null ? newStripe : from.shardStripeSize();
    fleet
        .remote()
        .split(node, parent, children, from.mode(), Generation.of(from.generation()))
        .ifPresent(
            newer -> {
              throw ApiError.conflict("a child of " + parent + " has newer generation " + newer);
            });
    locations.remove(parent);
    Instant now = fleet.clock().instant();
    for (TenantShardId child : children) {
      LocationConfig config =
          new LocationConfig(
              from.mode(),
              from.generation(),
              null,
              child.shardNumber().value(),
              newCount,
              stripe,
              from.tenantConf().deepCopy());
      Location copy = new Location(child, now, config);
      copy.timelines.putAll(location.timelines);
      locations.put(child, copy);
    }
    return children;
  }

  /** Runs {@code action} on the shard's attached location, or answers 404. */
  <T> T attached(TenantShardId id, Function<Location, T> action) {
    return attached(
        id, () -> ApiError.notFound("tenant shard " + id + " is not attached here"), action);
  }

  /** Runs {@code action} on the shard's attached location, or throws {@code missing}. */
  synchronized <T> T attached(
      TenantShardId id, Supplier<ApiError> missing, Function<Location, T> action) {
    requireAlive();
    Location location = locations.get(id);
    if (location == null || !location.inAttachedMode()) {
      throw missing.get();
    }
    return action.apply(location);
  }

  /** Runs {@code action} on the shard's secondary location, or answers 404. */
  synchronized <T> T secondary(TenantShardId id, Function<Location, T> action) {
    requireAlive();
    Location location = locations.get(id);
    if (location == null || location.config.mode() != LocationConfigMode.SECONDARY) {
      throw ApiError.notFound("no secondary location of " + id + " here");
    }
    return action.apply(location);
  }

  /** Starts the secondary's download unless one is running or done; returns it. */
  synchronized SecondaryDownload download(TenantShardId id) {
    return secondary(
        id,
        location -> {
          if (location.download == null || location.download.heatmapMtime() == null) {
            // Without a heatmap there was nothing to download: look again.
            location.download = startDownload(id, location, fleet.clock().instant());
          }
          return location.download;
        });
  }

  /** Finishes a timeline deletion locally, if the shard is still attached here. */
  synchronized void timelineDeleted(TenantShardId id, TimelineId tl) {
    Location location = locations.get(id);
    if (location != null && !forgotten) {
      location.timelines.remove(tl);
      location.deletingTimelines.remove(tl);
    }
  }

  /** Forgets the shard for a tenant deletion; returns the configuration it had here. */
  synchronized Optional<LocationConfig> remove(TenantShardId id, String cause) {
    requireAlive();
    Location removed = locations.remove(id);
    if (removed == null) {
      return Optional.empty();
    }
    fleet.recorder().location(node, id, LocationConfigMode.DETACHED, null, cause);
    return Optional.of(removed.config);
  }

  synchronized Optional<LocationConfig> config(TenantShardId id) {
    return Optional.ofNullable(locations.get(id)).map(l -> l.config);
  }

  synchronized Map<TenantShardId, LocationConfig> configs() {
    Map<TenantShardId, LocationConfig> configs = new TreeMap<>();
    locations.forEach((id, location) -> configs.put(id, location.config));
    return configs;
  }

  /** The shards attached here (any attached mode) with their timelines' physical size. */
  synchronized Map<TenantShardId, Long> attachedPhysicalSizes(Instant now) {
    Map<TenantShardId, Long> sizes = new TreeMap<>();
    for (Location location : locations.values()) {
      if (location.inAttachedMode()) {
        sizes.put(
            location.id,
            location.timelines.values().stream()
                .mapToLong(t -> t.info(location.id, now, "Active").currentPhysicalSize())
                .sum());
      }
    }
    return sizes;
  }

  synchronized int size() {
    return locations.size();
  }

  /** A crash: everything held is gone, and recorded as such. */
  synchronized void forgetAll(String cause) {
    forgotten = true;
    locations
        .keySet()
        .forEach(
            id -> fleet.recorder().location(node, id, LocationConfigMode.DETACHED, null, cause));
    locations.clear();
  }

  private boolean isAttached(TenantShardId id) {
    Location location = locations.get(id);
    return location != null && location.inAttachedMode();
  }

  private void requireAlive() {
    if (forgotten) {
      throw ApiError.shuttingDown();
    }
  }

  private SecondaryDownload startDownload(TenantShardId id, Location location, Instant now) {
    RemoteStorage remote = fleet.remote();
    return new SecondaryDownload(
        now,
        fleet.options().secondaryDownloadTime(),
        heatmap(id, location, now).orElse(null),
        SecondaryDownload.layersFor(remote.timelineIds(id).size()));
  }

  /**
   * When the heatmap a secondary location downloads was written, if it has one: the last one
   * uploaded on request, else (see {@link SimulatorOptions#heatmapUploadPeriod()}) the periodic
   * one.
   */
  Optional<Instant> heatmap(TenantShardId id, Location location, Instant now) {
    Optional<Instant> uploaded = fleet.remote().heatmapUploadedAt(id);
    if (uploaded.isPresent()) {
      return uploaded;
    }
    Duration period = fleet.options().heatmapUploadPeriod();
    if (period == null) {
      return Optional.of(location.since);
    }
    Instant periodic = location.since.plus(period);
    return periodic.isAfter(now) ? Optional.empty() : Optional.of(periodic);
  }
}
