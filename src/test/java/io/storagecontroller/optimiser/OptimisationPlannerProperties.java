package io.storagecontroller.optimiser;

import static org.assertj.core.api.Assertions.assertThat;

import io.storagecontroller.model.NodeId;
import io.storagecontroller.model.ShardCount;
import io.storagecontroller.model.ShardNumber;
import io.storagecontroller.model.TenantId;
import io.storagecontroller.model.TenantShardId;
import io.storagecontroller.optimiser.Optimisation.MigrateAttachment;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.IntRange;

/**
 * The optimiser's promises over random fleets: no planned move leaves the fleet's score worse (each
 * makes it strictly better), passes converge to a plan of nothing, and levelling a fleet where
 * every shard may move takes the fewest moves there are.
 */
class OptimisationPlannerProperties {

  @Property(tries = 200)
  void everyMigrationMakesTheScoreStrictlyBetter(
      @ForAll long seed, @ForAll @IntRange(min = 1, max = 40) int limit) {
    Fleet fleet = Fleet.random(new Random(seed));
    FleetModel model = new FleetModel(fleet.shards, fleet.nodes);
    Map<TenantShardId, ShardPlace> byId = new HashMap<>();
    fleet.shards.forEach(s -> byId.put(s.id(), s));
    PlacementScore score = model.score();
    for (Optimisation o : OptimisationPlanner.plan(fleet.shards, fleet.nodes, limit)) {
      if (o instanceof MigrateAttachment m) {
        assertThat(model.node(m.to()).receives()).as("destination of %s may take it", m).isTrue();
        model.move(byId.get(m.shard()), m.to());
        PlacementScore next = model.score();
        assertThat(next).as("%s: %s -> %s", m, score, next).isLessThan(score);
        score = next;
      }
    }
  }

  @Property(tries = 100)
  void passesConvergeAndThenPlanNothing(@ForAll long seed) {
    Fleet fleet = Fleet.random(new Random(seed));
    List<ShardPlace> shards = fleet.shards;
    for (int pass = 0; pass < 100; pass++) {
      List<Optimisation> plan = OptimisationPlanner.plan(shards, fleet.nodes, 16);
      if (plan.isEmpty()) {
        return;
      }
      shards = Fleet.apply(shards, plan);
    }
    throw new AssertionError("still planning after 100 passes");
  }

  @Property(tries = 100)
  void levellingTakesTheFewestMoves(@ForAll long seed) {
    Random random = new Random(seed);
    int nodeCount = 2 + random.nextInt(8);
    List<NodeLoad> nodes = new ArrayList<>();
    for (int i = 1; i <= nodeCount; i++) {
      nodes.add(new NodeLoad(NodeId.of(i), "a", true, false));
    }
    List<ShardPlace> shards = new ArrayList<>();
    int[] counts = new int[nodeCount];
    int total = random.nextInt(300);
    for (int i = 0; i < total; i++) {
      // Skewed: the first nodes get most shards.
      int node = Math.min(random.nextInt(nodeCount), random.nextInt(nodeCount));
      counts[node]++;
      shards.add(
          new ShardPlace(
              TenantShardId.unsharded(TenantId.generate()),
              null,
              NodeId.of(node + 1),
              List.of(),
              0,
              true));
    }
    int fewest = 0;
    long ceiling = (total + nodeCount - 1) / nodeCount;
    long floor = total / nodeCount;
    int excess = 0;
    int deficit = 0;
    for (int count : counts) {
      excess += (int) Math.max(0, count - ceiling);
      deficit += (int) Math.max(0, floor - count);
    }
    fewest = Math.max(excess, deficit);
    List<Optimisation> plan = OptimisationPlanner.plan(shards, nodes, Integer.MAX_VALUE);
    assertThat(plan).hasSize(fewest);
    FleetModel after = OptimisationPlannerTest.applied(shards, nodes, plan);
    long max = nodes.stream().mapToLong(n -> after.attached(n.id())).max().orElseThrow();
    long min = nodes.stream().mapToLong(n -> after.attached(n.id())).min().orElseThrow();
    assertThat(max - min).isLessThanOrEqualTo(1);
  }

  /** A random fleet: a few AZs, some paused or overloaded nodes, sharded tenants, held shards. */
  record Fleet(List<NodeLoad> nodes, List<ShardPlace> shards) {
    static Fleet random(Random random) {
      int nodeCount = 1 + random.nextInt(8);
      int azCount = 1 + random.nextInt(3);
      List<NodeLoad> nodes = new ArrayList<>();
      for (int i = 1; i <= nodeCount; i++) {
        nodes.add(
            new NodeLoad(
                NodeId.of(i),
                random.nextInt(10) == 0 ? null : "az-" + random.nextInt(azCount),
                random.nextInt(8) != 0,
                random.nextInt(8) == 0));
      }
      List<ShardPlace> shards = new ArrayList<>();
      int tenants = random.nextInt(60);
      for (int t = 0; t < tenants; t++) {
        TenantId tenant = TenantId.generate();
        int count = random.nextInt(4) == 0 ? 1 << random.nextInt(4) : 0;
        String az = random.nextInt(5) == 0 ? null : "az-" + random.nextInt(azCount);
        for (int s = 0; s < Math.max(1, count); s++) {
          TenantShardId id =
              count == 0
                  ? TenantShardId.unsharded(tenant)
                  : new TenantShardId(tenant, ShardNumber.of(s), ShardCount.of(count));
          NodeId attached = random.nextInt(20) == 0 ? null : pick(random, nodes);
          List<NodeId> secondaries = new ArrayList<>();
          int secondaryCount = random.nextInt(3);
          for (int k = 0; k < secondaryCount; k++) {
            NodeId secondary = pick(random, nodes);
            if (!secondary.equals(attached) && !secondaries.contains(secondary)) {
              secondaries.add(secondary);
            }
          }
          shards.add(
              new ShardPlace(
                  id, az, attached, secondaries, random.nextInt(2), random.nextInt(6) != 0));
        }
      }
      return new Fleet(nodes, shards);
    }

    private static NodeId pick(Random random, List<NodeLoad> nodes) {
      return nodes.get(random.nextInt(nodes.size())).id();
    }

    /**
     * The shards after the plan: attachments moved (the origin kept as a secondary), surplus
     * dropped.
     */
    static List<ShardPlace> apply(List<ShardPlace> shards, List<Optimisation> plan) {
      Map<TenantShardId, ShardPlace> byId = new HashMap<>();
      shards.forEach(s -> byId.put(s.id(), s));
      for (Optimisation o : plan) {
        ShardPlace s = byId.get(o.shard());
        List<NodeId> secondaries = new ArrayList<>(s.secondaries());
        NodeId attached = s.attached();
        if (o instanceof MigrateAttachment m) {
          if (secondaries.remove(m.to())) {
            secondaries.add(m.from());
          }
          attached = m.to();
        } else if (o instanceof Optimisation.RemoveSecondary r) {
          secondaries.remove(r.node());
        }
        byId.put(
            s.id(),
            new ShardPlace(
                s.id(),
                s.preferredAz(),
                attached,
                secondaries,
                s.wantedSecondaries(),
                s.movable()));
      }
      return shards.stream().map(s -> byId.get(s.id())).toList();
    }
  }
}
