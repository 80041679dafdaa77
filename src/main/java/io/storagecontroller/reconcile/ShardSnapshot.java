package io.storagecontroller.reconcile;

import io.storagecontroller.model.Generation;
import io.storagecontroller.model.NodeId;
import io.storagecontroller.model.PlacementPolicy;
import io.storagecontroller.model.ShardStripeSize;
import io.storagecontroller.model.TenantShardId;
import io.storagecontroller.pageserver.LocationConfig;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import tools.jackson.databind.node.ObjectNode;

/**
 * One shard's intent and observed state, copied out of the service state so a reconcile plans
 * against a consistent picture without holding any lock while it talks to pageservers.
 */
public record ShardSnapshot(
    TenantShardId id,
    ShardStripeSize stripeSize,
    Generation generation,
    PlacementPolicy policy,
    ObjectNode tenantConfig,
    NodeId intendedAttached,
    List<NodeId> intendedSecondaries,
    Map<NodeId, Optional<LocationConfig>> observed,
    Set<NodeId> availableNodes) {

  public ShardSnapshot {
    intendedSecondaries = List.copyOf(intendedSecondaries);
    observed = Map.copyOf(observed);
    availableNodes = Set.copyOf(availableNodes);
  }
}
