package io.storagecontroller.activities.reconcile;

import io.storagecontroller.model.TenantShardId;

/**
 * What one shard's reconcile achieved. {@code attachmentChanged}: a compute may need to learn a new
 * location; {@code clean}: nothing is left to do (false when an offline node was skipped).
 */
public record ShardReconcileResult(
    TenantShardId tenantShardId, boolean attachmentChanged, boolean clean) {}
