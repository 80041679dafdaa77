package io.storagecontroller.activities.rebalance;

/** A shard a drain or fill plans to live-migrate to {@code destination} (a node id). */
public record RebalanceMove(String tenantShardId, long destination) {}
