package io.storagecontroller.split;

import io.storagecontroller.model.TenantShardId;
import java.util.List;

/** {@code TenantShardSplitResponse}: {@code {"new_shards": [tenant_shard_id, ...]}}. */
public record ShardSplitResponse(List<TenantShardId> newShards) {}
