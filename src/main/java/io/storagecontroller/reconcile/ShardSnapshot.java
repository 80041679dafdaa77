package io.storagecontroller.reconcile;

import io.storagecontroller.model.Generation;
import io.storagecontroller.model.NodeId;
import io.storagecontroller.model.PlacementPolicy;
import io.storagecontroller.model.ShardSchedulingPolicy;
import io.storagecontroller.model.ShardStripeSize;
import io.storagecontroller.model.TenantShardId;
import io.storagecontroller.pageserver.LocationConfig;
import io.storagecontroller.shard.ShardView;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import tools.jackson.databind.node.ObjectNode;

/**
 * One shard as the store showed it, and the nodes a reconcile may call: the consistent picture a
 * reconcile plans against without holding any lock while it talks to pageservers.
 */
public record ShardSnapshot(ShardView shard, Set<NodeId> availableNodes) {

  public ShardSnapshot {
    availableNodes = Set.copyOf(availableNodes);
  }

  /** A snapshot of a shard made of its parts (tests, and shards not in the store). */
  public ShardSnapshot(
      TenantShardId id,
      ShardStripeSize stripeSize,
      Generation generation,
      PlacementPolicy policy,
      ObjectNode tenantConfig,
      NodeId intendedAttached,
      List<NodeId> intendedSecondaries,
      Map<NodeId, Optional<LocationConfig>> observed,
      Set<NodeId> availableNodes) {
    this(
        new ShardView(
            id,
            stripeSize,
            generation,
            null,
            policy,
            ShardSchedulingPolicy.ACTIVE,
            tenantConfig,
            false,
            null,
            intendedAttached,
            intendedSecondaries,
            null,
            observed,
            "",
            0),
        availableNodes);
  }

  public TenantShardId id() {
    return shard.id();
  }

  public Generation generation() {
    return shard.generation();
  }

  public NodeId intendedAttached() {
    return shard.attached();
  }

  public List<NodeId> intendedSecondaries() {
    return shard.secondaries();
  }

  public Map<NodeId, Optional<LocationConfig>> observed() {
    return shard.observed();
  }
}
