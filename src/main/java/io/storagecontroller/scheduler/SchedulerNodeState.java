package io.storagecontroller.scheduler;

import io.storagecontroller.model.NodeAvailability;
import io.storagecontroller.model.NodeId;
import io.storagecontroller.model.NodeSchedulingPolicy;

/** A copy of one node's scheduler state, for dumps, metrics and tests. */
public record SchedulerNodeState(
    NodeId nodeId,
    String az,
    NodeSchedulingPolicy scheduling,
    NodeAvailability availability,
    boolean maySchedule,
    long shardCount,
    long attachedShardCount,
    long homeShardCount,
    Long utilizationScore) {}
