package io.storagecontroller.activities.rebalance;

import io.storagecontroller.model.NodeId;
import io.storagecontroller.model.TenantShardId;

/** A shard a drain or fill plans to live-migrate to {@code destination}. */
public record RebalanceMove(TenantShardId tenantShardId, NodeId destination) {}
