package io.storagecontroller.drain;

import io.storagecontroller.model.NodeId;
import io.storagecontroller.model.TenantShardId;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.BiPredicate;

/**
 * Which shards leave a draining node and where: each movable shard attached there goes to its
 * least-loaded usable secondary (warm already), as Neon's drain does; a shard without one stays, so
 * a tenant without secondaries is never moved cold, and so does one whose chosen secondary is not
 * {@code acceptable} (lagging behind its heatmap, see {@link SecondaryLag}).
 */
public final class DrainPlanner {
  private DrainPlanner() {}

  /**
   * @param usable nodes that may take attachments (available and schedulable, not the drained one)
   * @param attached attached-shard counts per node, updated here as moves are planned
   */
  public static List<PlannedMove> plan(
      NodeId draining,
      Iterable<ShardPlacement> shards,
      Set<NodeId> usable,
      Map<NodeId, Long> attached,
      int limit) {
    return plan(draining, shards, usable, attached, limit, (shard, secondary) -> true);
  }

  /** As above, moving a shard only when its chosen secondary is {@code acceptable}. */
  public static List<PlannedMove> plan(
      NodeId draining,
      Iterable<ShardPlacement> shards,
      Set<NodeId> usable,
      Map<NodeId, Long> attached,
      int limit,
      BiPredicate<TenantShardId, NodeId> acceptable) {
    List<PlannedMove> moves = new ArrayList<>();
    for (ShardPlacement shard : shards) {
      if (moves.size() >= limit) {
        break;
      }
      if (!shard.movable() || !draining.equals(shard.attached())) {
        continue;
      }
      NodeId best = null;
      for (NodeId secondary : shard.secondaries()) {
        if (usable.contains(secondary)
            && (best == null
                || attached.getOrDefault(secondary, 0L) < attached.getOrDefault(best, 0L))) {
          best = secondary;
        }
      }
      if (best != null && acceptable.test(shard.id(), best)) {
        moves.add(new PlannedMove(shard.id(), best));
        attached.merge(best, 1L, Long::sum);
      }
    }
    return moves;
  }
}
