package io.storagecontroller.drain;

import io.storagecontroller.model.NodeId;
import io.storagecontroller.model.TenantShardId;

/** One shard a drain or fill will live-migrate to {@code destination}. */
public record PlannedMove(TenantShardId shard, NodeId destination) {}
