package io.storagecontroller.pageserver;

/** {@code PUT /v1/tenant/:tenant_shard_id/shard_split}. */
public record TenantShardSplitRequest(int newShardCount, Long newStripeSize) {}
