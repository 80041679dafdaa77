package io.storagecontroller.activities.node;

import io.storagecontroller.model.TenantId;
import java.util.List;

/** The operation row and the tenants whose shards were moved off the node. */
public record EvacuationPlan(long operationId, List<TenantId> tenantIds) {}
