package io.storagecontroller.drain;

import io.storagecontroller.model.NodeId;
import io.storagecontroller.model.TenantId;
import io.storagecontroller.model.TenantShardId;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Which shards come back to a filling node: its fair share ({@code floor(total / nodes)} attached
 * shards), taken only where it holds a warm secondary, from the most loaded nodes first and never
 * below their own fair share, at most {@code max(1, shards / nodes)} per tenant so one tenant does
 * not end up concentrated on the node (Neon #8099), and never more than the requirement (#8171).
 */
public final class FillPlanner {
  private FillPlanner() {}

  /** How many attached shards the node lacks to reach its fair share. */
  public static long requirement(NodeId filling, Map<NodeId, Long> attached) {
    long total = attached.values().stream().mapToLong(Long::longValue).sum();
    long fair = total / Math.max(1, attached.size());
    return Math.max(0, fair - attached.getOrDefault(filling, 0L));
  }

  /**
   * @param attached attached-shard counts of every node that may take attachments, the filling one
   *     included
   * @param shardsPerTenant each tenant's shard count
   */
  public static List<PlannedMove> plan(
      NodeId filling,
      Iterable<ShardPlacement> shards,
      Map<NodeId, Long> attached,
      Map<TenantId, Integer> shardsPerTenant,
      int limit) {
    return plan(filling, null, shards, attached, shardsPerTenant, limit);
  }

  /** As above, taking first the shards whose home AZ is {@code fillingAz}. */
  public static List<PlannedMove> plan(
      NodeId filling,
      String fillingAz,
      Iterable<ShardPlacement> shards,
      Map<NodeId, Long> attached,
      Map<TenantId, Integer> shardsPerTenant,
      int limit) {
    long wanted = Math.min(limit, requirement(filling, attached));
    if (wanted == 0) {
      return List.of();
    }
    long fair =
        attached.values().stream().mapToLong(Long::longValue).sum() / Math.max(1, attached.size());
    Map<NodeId, List<ShardPlacement>> byDonor = new HashMap<>();
    for (ShardPlacement shard : shards) {
      if (shard.movable()
          && shard.attached() != null
          && !filling.equals(shard.attached())
          && shard.secondaries().contains(filling)
          && attached.getOrDefault(shard.attached(), 0L) > fair) {
        byDonor.computeIfAbsent(shard.attached(), n -> new ArrayList<>()).add(shard);
      }
    }
    List<NodeId> donors = new ArrayList<>(byDonor.keySet());
    donors.sort(
        Comparator.comparing((NodeId n) -> attached.getOrDefault(n, 0L))
            .reversed()
            .thenComparing(NodeId::value));
    int nodes = Math.max(1, attached.size());
    Map<TenantId, Integer> gained = new HashMap<>();
    Map<NodeId, Long> spare = new HashMap<>();
    donors.forEach(d -> spare.put(d, attached.getOrDefault(d, 0L) - fair));
    List<PlannedMove> moves = new ArrayList<>();
    Set<TenantShardId> taken = new HashSet<>();
    // First the shards coming home, then any.
    for (boolean homeOnly : new boolean[] {true, false}) {
      for (NodeId donor : donors) {
        for (ShardPlacement shard : byDonor.get(donor)) {
          if (moves.size() >= wanted || spare.get(donor) <= 0) {
            break;
          }
          boolean home = fillingAz != null && fillingAz.equals(shard.preferredAz());
          if ((homeOnly && !home) || taken.contains(shard.id())) {
            continue;
          }
          TenantId tenant = shard.id().tenantId();
          int cap = Math.max(1, shardsPerTenant.getOrDefault(tenant, 1) / nodes);
          if (gained.getOrDefault(tenant, 0) >= cap) {
            continue;
          }
          gained.merge(tenant, 1, Integer::sum);
          taken.add(shard.id());
          moves.add(new PlannedMove(shard.id(), filling));
          spare.merge(donor, -1L, Long::sum);
        }
      }
    }
    return moves;
  }
}
