package io.storagecontroller.activities.split;

import io.storagecontroller.model.TenantId;

/**
 * What a split workflow was asked: split {@code tenantId} into {@code newShardCount} shards, with
 * {@code newStripeSize} pages per stripe (null keeps the tenant's); its operation row is {@code
 * operationId}. With {@code resume}, the split was committed by a controller that died before
 * finishing: only the steps after the commit remain.
 */
public record SplitRequest(
    long operationId, TenantId tenantId, int newShardCount, Long newStripeSize, boolean resume) {}
