package io.storagecontroller.optimiser;

import static org.assertj.core.api.Assertions.assertThat;

import io.storagecontroller.model.NodeId;
import io.storagecontroller.model.ShardCount;
import io.storagecontroller.model.ShardNumber;
import io.storagecontroller.model.TenantId;
import io.storagecontroller.model.TenantShardId;
import io.storagecontroller.optimiser.Optimisation.MigrateAttachment;
import io.storagecontroller.optimiser.Optimisation.Reason;
import io.storagecontroller.optimiser.Optimisation.RemoveSecondary;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class OptimisationPlannerTest {
  static final NodeId N1 = NodeId.of(1);
  static final NodeId N2 = NodeId.of(2);
  static final NodeId N3 = NodeId.of(3);

  @Test
  void aBalancedFleetPlansNothing() {
    List<ShardPlace> shards = new ArrayList<>();
    for (int i = 0; i < 9; i++) {
      shards.add(single(NodeId.of(1 + i % 3), NodeId.of(1 + (i + 1) % 3)));
    }
    assertThat(OptimisationPlanner.plan(shards, nodes("a", "a", "a"), 100)).isEmpty();
  }

  @Test
  void aNodeBackFromFailureGetsItsShareAndWarmSecondariesGoFirst() {
    List<ShardPlace> shards = new ArrayList<>();
    for (int i = 0; i < 6; i++) {
      shards.add(single(N1, N3)); // warm on the returning node
      shards.add(single(N2, N1)); // not
    }
    List<Optimisation> plan = OptimisationPlanner.plan(shards, nodes("a", "a", "a"), 100);
    assertThat(plan).hasSize(4).allMatch(o -> ((MigrateAttachment) o).to().equals(N3));
    assertThat(plan)
        .allMatch(o -> ((MigrateAttachment) o).reason() == Reason.BALANCE)
        .filteredOn(o -> ((MigrateAttachment) o).from().equals(N1))
        .hasSize(2);
  }

  @Test
  void shardsAttachedOutsideTheirHomeAzGoBackFirst() {
    ShardPlace away = new ShardPlace(id(), "home", N2, List.of(), 1, true);
    List<Optimisation> plan =
        OptimisationPlanner.plan(List.of(away), List.of(load(N1, "home"), load(N2, "away")), 1);
    assertThat(plan).containsExactly(new MigrateAttachment(away.id(), N2, N1, Reason.HOME_AZ));
  }

  @Test
  void aHomeAzWithNoUsableNodeKeepsItsShardsWhereTheyAre() {
    ShardPlace away = new ShardPlace(id(), "home", N2, List.of(), 1, true);
    NodeLoad paused = new NodeLoad(N1, "home", false, false);
    assertThat(OptimisationPlanner.plan(List.of(away), List.of(paused, load(N2, "away")), 10))
        .isEmpty();
  }

  @Test
  void anOverloadedNodeIsRelievedAndGetsNothing() {
    List<ShardPlace> shards = List.of(single(N1, N2), single(N2, N1), single(N3, N1));
    NodeLoad full = new NodeLoad(N1, "a", true, true);
    List<Optimisation> plan =
        OptimisationPlanner.plan(shards, List.of(full, load(N2, "a"), load(N3, "a")), 10);
    assertThat(plan).hasSize(1);
    MigrateAttachment move = (MigrateAttachment) plan.get(0);
    assertThat(move.from()).isEqualTo(N1);
    assertThat(move.to()).isEqualTo(N2); // warm there
    assertThat(move.reason()).isEqualTo(Reason.OVERLOADED);
  }

  @Test
  void splitChildrenOnOneNodeSpreadOut() {
    TenantId tenant = TenantId.generate();
    List<ShardPlace> shards = new ArrayList<>();
    for (int i = 0; i < 3; i++) {
      TenantShardId child = new TenantShardId(tenant, ShardNumber.of(i), ShardCount.of(4));
      shards.add(new ShardPlace(child, null, N1, List.of(N2), 1, true));
    }
    shards.add(single(N2, N3));
    shards.add(single(N3, N2));
    List<Optimisation> plan = OptimisationPlanner.plan(shards, nodes("a", "a", "a"), 10);
    FleetModel after = applied(shards, nodes("a", "a", "a"), plan);
    assertThat(after.tenantOn(tenant, N1)).isEqualTo(1);
    assertThat(after.tenantOn(tenant, N2)).isEqualTo(1);
    assertThat(after.tenantOn(tenant, N3)).isEqualTo(1);
  }

  @Test
  void surplusSecondariesGoKeepingOneOnAUsableNodeOutsideTheHomeAz() {
    NodeLoad offline = new NodeLoad(N3, "b", false, false);
    ShardPlace shard = new ShardPlace(id(), "a", N1, List.of(N3, N2), 1, true);
    List<Optimisation> plan =
        OptimisationPlanner.plan(
            List.of(shard), List.of(load(N1, "a"), load(N2, "b"), offline), 10);
    assertThat(plan).containsExactly(new RemoveSecondary(shard.id(), N3));
  }

  @Test
  void heldPausedAndEssentialShardsAreLeftAlone() {
    List<ShardPlace> shards = new ArrayList<>();
    for (int i = 0; i < 6; i++) {
      shards.add(new ShardPlace(id(), null, N1, List.of(N2, N3), 1, false));
    }
    assertThat(OptimisationPlanner.plan(shards, nodes("a", "a", "a"), 10)).isEmpty();
  }

  @Test
  void theLimitBoundsMigrations() {
    List<ShardPlace> shards = new ArrayList<>();
    for (int i = 0; i < 30; i++) {
      shards.add(single(N1, N2));
    }
    assertThat(OptimisationPlanner.plan(shards, nodes("a", "a", "a"), 5)).hasSize(5);
  }

  static FleetModel applied(
      List<ShardPlace> shards, List<NodeLoad> nodes, List<Optimisation> plan) {
    FleetModel fleet = new FleetModel(shards, nodes);
    for (Optimisation o : plan) {
      if (o instanceof MigrateAttachment m) {
        fleet.move(
            shards.stream().filter(s -> s.id().equals(m.shard())).findFirst().orElseThrow(),
            m.to());
      }
    }
    return fleet;
  }

  static ShardPlace single(NodeId attached, NodeId secondary) {
    return new ShardPlace(id(), null, attached, List.of(secondary), 1, true);
  }

  static TenantShardId id() {
    return TenantShardId.unsharded(TenantId.generate());
  }

  static NodeLoad load(NodeId id, String az) {
    return new NodeLoad(id, az, true, false);
  }

  static List<NodeLoad> nodes(String... azs) {
    List<NodeLoad> out = new ArrayList<>();
    for (int i = 0; i < azs.length; i++) {
      out.add(load(NodeId.of(i + 1), azs[i]));
    }
    return out;
  }
}
