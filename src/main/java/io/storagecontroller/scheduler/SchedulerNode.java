package io.storagecontroller.scheduler;

import io.storagecontroller.model.NodeAvailability;
import io.storagecontroller.model.NodeId;
import io.storagecontroller.model.NodeSchedulingPolicy;
import java.util.Objects;

/**
 * A pageserver as the scheduler sees it: whether new locations may go there, and how many intent
 * locations it already holds. Mutated only by {@link Scheduler}, under its lock.
 */
final class SchedulerNode {
  private final NodeId id;
  private String az;
  private NodeSchedulingPolicy scheduling;
  private NodeAvailability availability;
  private Utilization utilization;
  private long shardCount;
  private long attachedShardCount;
  // Locations whose shard prefers this node's AZ; the rest are the spread-out secondaries.
  private long homeShardCount;

  SchedulerNode(
      NodeId id,
      String az,
      NodeSchedulingPolicy scheduling,
      NodeAvailability availability,
      Utilization utilization) {
    this.id = id;
    this.az = az;
    this.scheduling = scheduling;
    this.availability = availability;
    this.utilization = utilization;
  }

  NodeId id() {
    return id;
  }

  String az() {
    return az;
  }

  NodeSchedulingPolicy scheduling() {
    return scheduling;
  }

  NodeAvailability availability() {
    return availability;
  }

  long shardCount() {
    return shardCount;
  }

  long attachedShardCount() {
    return attachedShardCount;
  }

  long homeShardCount() {
    return homeShardCount;
  }

  /** Neon's may_schedule: Filling nodes are exactly the ones that should receive shards. */
  boolean maySchedule() {
    return availability == NodeAvailability.ACTIVE
        && (scheduling == NodeSchedulingPolicy.ACTIVE
            || scheduling == NodeSchedulingPolicy.FILLING);
  }

  /** Unknown load counts as none, so a fleet without heartbeat figures spreads by shard count. */
  long utilizationScore() {
    return utilization == null ? 0 : utilization.score();
  }

  boolean isOverloaded() {
    return utilization != null && utilization.isOverloaded();
  }

  boolean isHomeOf(String preferredAz) {
    return az != null && az.equals(preferredAz);
  }

  void describe(
      String newAz, NodeSchedulingPolicy newScheduling, NodeAvailability newAvailability) {
    // Home counts were computed against the old AZ; rescanning the intents is what we avoid.
    if (shardCount > 0 && !Objects.equals(az, newAz)) {
      throw new IllegalStateException(
          "cannot move node "
              + id
              + " from AZ "
              + az
              + " to "
              + newAz
              + " while "
              + shardCount
              + " shard locations are placed on it");
    }
    az = newAz;
    scheduling = newScheduling;
    availability = newAvailability;
  }

  void setUtilization(Utilization reported) {
    // Locations the pageserver has not heard of yet still count (Neon's adjust_shard_count_max).
    utilization = reported == null ? null : reported.withShardCountAtLeast(shardCount);
  }

  void apply(RefCountUpdate update, boolean home) {
    long shards = shardCount + update.locations;
    long attached = attachedShardCount + update.attached;
    long homes = homeShardCount + (home ? update.locations : 0);
    if (shards < 0 || attached < 0 || homes < 0) {
      throw new IllegalStateException(
          "refcount underflow on node " + id + ": " + update + " applied to " + counts());
    }
    shardCount = shards;
    attachedShardCount = attached;
    homeShardCount = homes;
    if (update.locations > 0 && utilization != null) {
      utilization = utilization.withShardCountAtLeast(shardCount);
    }
  }

  void moveHome(boolean wasHome, boolean isHome) {
    homeShardCount += (isHome ? 1 : 0) - (wasHome ? 1 : 0);
  }

  String counts() {
    return "shard_count="
        + shardCount
        + " attached_shard_count="
        + attachedShardCount
        + " home_shard_count="
        + homeShardCount;
  }

  SchedulerNodeState state() {
    return new SchedulerNodeState(
        id,
        az,
        scheduling,
        availability,
        maySchedule(),
        shardCount,
        attachedShardCount,
        homeShardCount,
        utilization == null ? null : utilization.score());
  }
}
