package io.storagecontroller.scheduler;

import java.util.Collection;
import java.util.Map;
import java.util.TreeMap;

/**
 * Picks the home AZ of a new tenant: the one with the fewest home shards per node, among AZs that
 * can take shards right now. An AZ-wide measure rather than the emptiest node, because a tenant
 * that splits later fills many nodes of its AZ (Neon's get_az_for_new_tenant, normalised per node
 * since #12296).
 */
final class NewTenantAz {
  private NewTenantAz() {}

  private static final class AzLoad {
    long homeShards;
    long nodes;
    boolean schedulable;
  }

  static String choose(Collection<SchedulerNode> nodes) {
    Map<String, AzLoad> azs = new TreeMap<>();
    for (SchedulerNode node : nodes) {
      if (node.az() == null) {
        continue;
      }
      AzLoad load = azs.computeIfAbsent(node.az(), az -> new AzLoad());
      load.homeShards += node.homeShardCount();
      load.nodes++;
      load.schedulable |= node.maySchedule();
    }
    if (azs.values().stream().anyMatch(load -> load.schedulable)) {
      azs.values().removeIf(load -> !load.schedulable);
    }
    // Scaled by the largest node count so that small counts do not all round down to zero.
    long maxNodes = azs.values().stream().mapToLong(load -> load.nodes).max().orElse(1);
    String best = null;
    long bestScore = Long.MAX_VALUE;
    for (Map.Entry<String, AzLoad> az : azs.entrySet()) {
      long score = az.getValue().homeShards * maxNodes / az.getValue().nodes;
      if (score < bestScore) { // strict: the first in name order wins a tie
        best = az.getKey();
        bestScore = score;
      }
    }
    return best;
  }
}
