package io.storagecontroller.shard;

import io.storagecontroller.model.Generation;
import io.storagecontroller.model.NodeId;
import io.storagecontroller.model.PlacementPolicy;
import io.storagecontroller.model.ShardSchedulingPolicy;
import io.storagecontroller.model.ShardStripeSize;
import io.storagecontroller.model.TenantShardId;
import io.storagecontroller.pageserver.LocationConfig;
import io.storagecontroller.scheduler.ShardLocations;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import tools.jackson.databind.node.ObjectNode;

/**
 * One tenant shard as it was at one instant: what every reader outside the store gets. It never
 * changes, so it is read without any lock. {@code config} is shared with the store, which replaces
 * a shard's config on change and never modifies it in place: do not modify it either.
 *
 * @param heldBy the operation that owns the shard right now (a migration, split, drain or fill), or
 *     null when the reconciler does
 * @param observed what each pageserver last confirmed; an empty value means "unknown"
 */
public record ShardView(
    TenantShardId id,
    ShardStripeSize stripeSize,
    Generation generation,
    NodeId generationPageserver,
    PlacementPolicy policy,
    ShardSchedulingPolicy schedulingPolicy,
    ObjectNode config,
    boolean splitting,
    Long heldBy,
    NodeId attached,
    List<NodeId> secondaries,
    String preferredAz,
    Map<NodeId, Optional<LocationConfig>> observed,
    String lastError,
    long sequence)
    implements ShardLocations {

  public ShardView {
    secondaries = List.copyOf(secondaries);
    observed = Map.copyOf(observed);
  }

  public boolean held() {
    return heldBy != null;
  }

  /** The attached node first, then the secondaries. */
  public List<NodeId> intendedNodes() {
    List<NodeId> all = new ArrayList<>(secondaries.size() + 1);
    if (attached != null) {
      all.add(attached);
    }
    all.addAll(secondaries);
    return all;
  }

  /** What the node confirmed holding; empty when nothing is known to be there or it is unknown. */
  public Optional<LocationConfig> confirmed(NodeId node) {
    return observed.getOrDefault(node, Optional.empty());
  }
}
