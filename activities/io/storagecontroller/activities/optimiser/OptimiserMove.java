package io.storagecontroller.activities.optimiser;

import io.storagecontroller.model.NodeId;
import io.storagecontroller.model.TenantShardId;

/** A planned live migration of the optimiser; {@code reason} as in the domain's plan. */
public record OptimiserMove(TenantShardId tenantShardId, NodeId from, NodeId to, String reason) {}
