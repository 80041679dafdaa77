package io.storagecontroller.optimiser;

import io.storagecontroller.model.NodeId;
import io.storagecontroller.model.TenantShardId;
import java.util.List;

/**
 * A shard as the optimiser sees it.
 *
 * @param wantedSecondaries how many secondaries its placement policy keeps; -1 when the policy is
 *     not Attached (the optimiser leaves those shards alone)
 * @param movable whether the optimiser may change it at all: not held by an operation, not
 *     splitting, Attached, scheduling policy Active (Essential, Pause and Stop shards are not
 *     optimised)
 */
public record ShardPlace(
    TenantShardId id,
    String preferredAz,
    NodeId attached,
    List<NodeId> secondaries,
    int wantedSecondaries,
    boolean movable) {
  public ShardPlace {
    secondaries = List.copyOf(secondaries);
  }
}
