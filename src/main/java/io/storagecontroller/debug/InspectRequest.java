package io.storagecontroller.debug;

import io.storagecontroller.model.TenantShardId;

/** {@code POST /debug/v1/inspect}: {@code {"tenant_shard_id": ...}}. */
public record InspectRequest(TenantShardId tenantShardId) {}
