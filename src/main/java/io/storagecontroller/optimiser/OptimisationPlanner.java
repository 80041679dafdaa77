package io.storagecontroller.optimiser;

import io.storagecontroller.model.NodeId;
import io.storagecontroller.model.TenantId;
import io.storagecontroller.optimiser.Optimisation.MigrateAttachment;
import io.storagecontroller.optimiser.Optimisation.Reason;
import io.storagecontroller.optimiser.Optimisation.RemoveSecondary;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Comparator;
import java.util.List;
import java.util.Objects;

/**
 * Plans one optimiser pass, most urgent first: surplus secondaries removed; attachments brought
 * back to their preferred AZ; overloaded nodes relieved; attached counts levelled within each AZ
 * (with the shards whose move also spreads their tenant first); a tenant's shards spread off shared
 * nodes. Every migration makes the fleet's {@link PlacementScore} strictly smaller (the tests check
 * it), so repeated passes converge and then plan nothing.
 *
 * <p>Levelling always moves from the most to the least loaded node of an AZ while they differ by
 * two or more, which is the fewest moves that level the counts when every shard may move.
 */
public final class OptimisationPlanner {
  /** Attachments moved off one overloaded node per pass: its next heartbeat tells how it went. */
  static final int RELIEF_PER_NODE = 16;

  private OptimisationPlanner() {}

  /** At most {@code limit} migrations (and any number of secondary removals). */
  public static List<Optimisation> plan(
      Collection<ShardPlace> shards, Collection<NodeLoad> nodes, int limit) {
    FleetModel fleet = new FleetModel(shards, nodes);
    List<Optimisation> plan = new ArrayList<>(removals(fleet));
    Budget budget = new Budget(limit);
    homecoming(fleet, plan, budget);
    relief(fleet, plan, budget);
    level(fleet, plan, budget);
    spreadTenants(fleet, plan, budget);
    return plan;
  }

  private static final class Budget {
    private int left;

    Budget(int left) {
      this.left = left;
    }

    boolean spent() {
      return left <= 0;
    }

    void spend() {
      left--;
    }
  }

  private static List<Optimisation> removals(FleetModel fleet) {
    List<Optimisation> out = new ArrayList<>();
    for (ShardPlace shard : sorted(fleet.shards())) {
      if (shard.movable()
          && shard.wantedSecondaries() >= 0
          && shard.secondaries().size() > shard.wantedSecondaries()) {
        out.add(new RemoveSecondary(shard.id(), leastWantedSecondary(fleet, shard)));
        fleet.take(shard.id());
      }
    }
    return out;
  }

  /**
   * Keep the secondaries that give availability: on a usable node outside the home AZ first (Neon's
   * #10648: one good secondary is kept, whatever else is removed).
   */
  private static NodeId leastWantedSecondary(FleetModel fleet, ShardPlace shard) {
    return shard.secondaries().stream()
        .max(
            Comparator.<NodeId>comparingInt(n -> fleet.maySchedule(n) ? 0 : 2)
                .thenComparingInt(n -> isIn(fleet, n, shard.preferredAz()) ? 1 : 0)
                .thenComparing(Comparator.naturalOrder()))
        .orElseThrow();
  }

  private static void homecoming(FleetModel fleet, List<Optimisation> plan, Budget budget) {
    for (ShardPlace shard : sorted(fleet.shards())) {
      if (budget.spent()) {
        return;
      }
      NodeId at = fleet.attachedOf(shard.id());
      if (!movable(fleet, shard, at) || !fleet.outsideHomeAz(shard, at)) {
        continue;
      }
      List<NodeLoad> home =
          fleet.receivers().stream().filter(n -> isIn(fleet, n.id(), shard.preferredAz())).toList();
      NodeId to = bestDestination(fleet, shard, home);
      if (to != null) {
        move(fleet, plan, budget, shard, at, to, Reason.HOME_AZ);
      }
    }
  }

  private static void relief(FleetModel fleet, List<Optimisation> plan, Budget budget) {
    for (NodeLoad node : fleet.nodes()) {
      if (!node.maySchedule() || !node.overloaded()) {
        continue;
      }
      int moved = 0;
      for (ShardPlace shard : fleet.movableOn(node.id())) {
        if (budget.spent() || moved >= RELIEF_PER_NODE) {
          break;
        }
        // Never out of the home AZ: that would trade one problem for a worse one.
        String az = fleet.homeAzReceives(shard.preferredAz()) ? shard.preferredAz() : node.az();
        List<NodeLoad> candidates =
            fleet.receivers().stream().filter(n -> Objects.equals(n.az(), az)).toList();
        if (candidates.isEmpty() && !fleet.homeAzReceives(shard.preferredAz())) {
          candidates = fleet.receivers();
        }
        NodeId to = bestDestination(fleet, shard, candidates);
        if (to != null) {
          move(fleet, plan, budget, shard, node.id(), to, Reason.OVERLOADED);
          moved++;
        }
      }
    }
  }

  /**
   * A tenant with two shards attached to one node, and a node of the same AZ with none of them and
   * fewer attachments: the shard moves there (split children spread out this way).
   */
  private static void spreadTenants(FleetModel fleet, List<Optimisation> plan, Budget budget) {
    for (NodeLoad node : fleet.receivers()) {
      for (ShardPlace shard : fleet.movableOn(node.id())) {
        if (budget.spent()) {
          return;
        }
        TenantId tenant = shard.id().tenantId();
        if (fleet.tenantOn(tenant, node.id()) < 2) {
          continue;
        }
        long limit = fleet.attached(node.id()) - 1;
        NodeLoad to =
            fleet.receivers().stream()
                .filter(n -> Objects.equals(n.az(), node.az()))
                .filter(n -> fleet.tenantOn(tenant, n.id()) == 0 && fleet.attached(n.id()) <= limit)
                .min(Comparator.comparingLong((NodeLoad n) -> fleet.attached(n.id())))
                .orElse(null);
        if (to != null) {
          move(fleet, plan, budget, shard, node.id(), to.id(), Reason.AFFINITY);
        }
      }
    }
  }

  /** Most to least loaded node of each AZ while they differ by two or more. */
  private static void level(FleetModel fleet, List<Optimisation> plan, Budget budget) {
    List<String> azs = fleet.receivers().stream().map(NodeLoad::az).distinct().toList();
    for (String az : azs) {
      List<NodeLoad> group =
          fleet.receivers().stream().filter(n -> Objects.equals(n.az(), az)).toList();
      List<NodeId> exhausted = new ArrayList<>();
      while (!budget.spent()) {
        Comparator<NodeLoad> byLoad =
            Comparator.comparingLong((NodeLoad n) -> fleet.attached(n.id()))
                .thenComparing(NodeLoad::id);
        NodeLoad lightest = group.stream().min(byLoad).orElseThrow();
        NodeLoad heaviest =
            group.stream().filter(n -> !exhausted.contains(n.id())).max(byLoad).orElse(null);
        if (heaviest == null || fleet.attached(heaviest.id()) - fleet.attached(lightest.id()) < 2) {
          break;
        }
        ShardPlace shard = levellingCandidate(fleet, heaviest.id(), lightest.id());
        if (shard == null) {
          exhausted.add(heaviest.id());
          continue;
        }
        move(fleet, plan, budget, shard, heaviest.id(), lightest.id(), Reason.BALANCE);
      }
    }
  }

  /**
   * The shard to level with: one whose move also takes its tenant off a node it shares (a move the
   * tenant-spreading step would otherwise make on its own later) first, then one already warm at
   * the destination, then one that does not make the destination share a tenant, then by id.
   */
  private static ShardPlace levellingCandidate(FleetModel fleet, NodeId from, NodeId to) {
    return fleet.movableOn(from).stream()
        .min(
            Comparator.<ShardPlace>comparingInt(s -> spreads(fleet, s, from, to) ? 0 : 1)
                .thenComparingInt(s -> s.secondaries().contains(to) ? 0 : 1)
                .thenComparingInt(s -> newCollision(fleet, s, from, to) ? 1 : 0)
                .thenComparing(ShardPlace::id))
        .orElse(null);
  }

  private static boolean spreads(FleetModel fleet, ShardPlace shard, NodeId from, NodeId to) {
    TenantId tenant = shard.id().tenantId();
    return fleet.tenantOn(tenant, from) >= 2 && fleet.tenantOn(tenant, to) == 0;
  }

  private static boolean newCollision(FleetModel fleet, ShardPlace shard, NodeId from, NodeId to) {
    TenantId tenant = shard.id().tenantId();
    return fleet.tenantOn(tenant, to) >= 1 && fleet.tenantOn(tenant, from) < 2;
  }

  /** The destination among {@code candidates}: warm first, then fewest of the tenant, lightest. */
  private static NodeId bestDestination(
      FleetModel fleet, ShardPlace shard, List<NodeLoad> candidates) {
    NodeId at = fleet.attachedOf(shard.id());
    TenantId tenant = shard.id().tenantId();
    return candidates.stream()
        .map(NodeLoad::id)
        .filter(n -> !n.equals(at))
        .min(
            Comparator.<NodeId>comparingInt(n -> shard.secondaries().contains(n) ? 0 : 1)
                .thenComparingInt(n -> fleet.tenantOn(tenant, n))
                .thenComparingLong(fleet::attached)
                .thenComparing(Comparator.naturalOrder()))
        .orElse(null);
  }

  private static boolean movable(FleetModel fleet, ShardPlace shard, NodeId at) {
    return shard.movable() && at != null && fleet.maySchedule(at) && !fleet.isPlanned(shard.id());
  }

  private static void move(
      FleetModel fleet,
      List<Optimisation> plan,
      Budget budget,
      ShardPlace shard,
      NodeId from,
      NodeId to,
      Reason reason) {
    fleet.move(shard, to);
    plan.add(new MigrateAttachment(shard.id(), from, to, reason));
    budget.spend();
  }

  private static boolean isIn(FleetModel fleet, NodeId node, String az) {
    NodeLoad load = fleet.node(node);
    return az != null && load != null && az.equals(load.az());
  }

  private static List<ShardPlace> sorted(Collection<ShardPlace> shards) {
    return shards.stream().sorted(Comparator.comparing(ShardPlace::id)).toList();
  }
}
