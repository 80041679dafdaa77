package io.storagecontroller.split;

/**
 * {@code TenantShardSplitRequest}: {@code {"new_shard_count": 4, "new_stripe_size": 2048}}; the
 * stripe size is optional and only changes a tenant that has a single shard.
 */
public record ShardSplitRequest(Integer newShardCount, Long newStripeSize) {}
