package io.storagecontroller.drain;

import io.storagecontroller.model.NodeId;
import io.storagecontroller.model.TenantShardId;
import java.util.List;

/**
 * A shard as drain and fill planners see it: where it is attached and kept warm, its home AZ (null:
 * none), and whether it may be moved at all (not migrating or splitting, scheduling policy Active
 * or Essential).
 */
public record ShardPlacement(
    TenantShardId id,
    NodeId attached,
    List<NodeId> secondaries,
    boolean movable,
    String preferredAz) {
  public ShardPlacement(
      TenantShardId id, NodeId attached, List<NodeId> secondaries, boolean movable) {
    this(id, attached, secondaries, movable, null);
  }
}
