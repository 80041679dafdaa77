package io.storagecontroller.drain;

import static org.assertj.core.api.Assertions.assertThat;

import io.storagecontroller.model.NodeId;
import io.storagecontroller.model.ShardCount;
import io.storagecontroller.model.ShardNumber;
import io.storagecontroller.model.TenantId;
import io.storagecontroller.model.TenantShardId;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;

class PlannersTest {
  static final NodeId A = new NodeId(1);
  static final NodeId B = new NodeId(2);
  static final NodeId C = new NodeId(3);

  static ShardPlacement shard(NodeId attached, NodeId... secondaries) {
    return new ShardPlacement(
        TenantShardId.unsharded(TenantId.generate()), attached, List.of(secondaries), true);
  }

  @Test
  void drainMovesEachShardToItsLeastLoadedUsableSecondary() {
    ShardPlacement twoSecondaries = shard(A, B, C);
    ShardPlacement onlyB = shard(A, B);
    Map<NodeId, Long> attached = new HashMap<>(Map.of(A, 2L, B, 5L, C, 1L));

    List<PlannedMove> moves =
        DrainPlanner.plan(A, List.of(twoSecondaries, onlyB), Set.of(B, C), attached, 10);

    assertThat(moves)
        .containsExactly(new PlannedMove(twoSecondaries.id(), C), new PlannedMove(onlyB.id(), B));
    assertThat(attached).containsEntry(B, 6L).containsEntry(C, 2L);
  }

  @Test
  void drainLeavesAShardWhoseSecondaryIsNotAcceptableAndGoesOnWithTheOthers() {
    ShardPlacement lagging = shard(A, B);
    ShardPlacement warm = shard(A, C);
    Map<NodeId, Long> attached = new HashMap<>(Map.of(A, 2L, B, 0L, C, 0L));

    List<PlannedMove> moves =
        DrainPlanner.plan(
            A,
            List.of(lagging, warm),
            Set.of(B, C),
            attached,
            1,
            (shard, secondary) -> !secondary.equals(B));

    assertThat(moves).containsExactly(new PlannedMove(warm.id(), C));
    assertThat(attached).containsEntry(B, 0L).containsEntry(C, 1L);
  }

  @Test
  void drainLeavesShardsWithoutAUsableSecondaryAndUnmovableOnes() {
    ShardPlacement noSecondary = shard(A);
    ShardPlacement pausedSecondary = shard(A, B);
    ShardPlacement unmovable =
        new ShardPlacement(TenantShardId.unsharded(TenantId.generate()), A, List.of(C), false);
    ShardPlacement elsewhere = shard(B, A);

    List<PlannedMove> moves =
        DrainPlanner.plan(
            A,
            List.of(noSecondary, pausedSecondary, unmovable, elsewhere),
            Set.of(C),
            new HashMap<>(),
            10);

    assertThat(moves).isEmpty();
  }

  @Test
  void drainStopsAtTheLimit() {
    List<ShardPlacement> shards = new ArrayList<>();
    for (int i = 0; i < 10; i++) {
      shards.add(shard(A, B));
    }
    assertThat(DrainPlanner.plan(A, shards, Set.of(B), new HashMap<>(), 4)).hasSize(4);
  }

  @Test
  void fillTakesItsFairShareFromTheMostLoadedNodesOnly() {
    List<ShardPlacement> shards = new ArrayList<>();
    for (int i = 0; i < 6; i++) {
      shards.add(shard(B, A));
    }
    for (int i = 0; i < 3; i++) {
      shards.add(shard(C, A));
    }
    // 9 attached over 3 nodes: the fair share is 3. B has 3 spare, C none.
    Map<NodeId, Long> attached = Map.of(A, 0L, B, 6L, C, 3L);

    List<PlannedMove> moves = FillPlanner.plan(A, shards, attached, Map.of(), 100);

    assertThat(FillPlanner.requirement(A, attached)).isEqualTo(3);
    assertThat(moves).hasSize(3).allMatch(m -> m.destination().equals(A));
    assertThat(moves.stream().map(PlannedMove::shard))
        .allMatch(id -> shards.subList(0, 6).stream().anyMatch(s -> s.id().equals(id)));
  }

  @Test
  void fillNeedsAWarmSecondaryOnTheNodeAndCapsEachTenant() {
    TenantId big = TenantId.generate();
    List<ShardPlacement> shards = new ArrayList<>();
    for (int n = 0; n < 4; n++) {
      shards.add(
          new ShardPlacement(
              new TenantShardId(big, ShardNumber.of(n), ShardCount.of(4)), B, List.of(A), true));
    }
    shards.add(shard(B, C));
    Map<NodeId, Long> attached = Map.of(A, 0L, B, 5L);

    List<PlannedMove> moves = FillPlanner.plan(A, shards, attached, Map.of(big, 4), 100);

    // Fair share 2, but one 4-shard tenant may gain at most 4 / 2 = 2, and the shard without a
    // secondary on A cannot come.
    assertThat(moves).hasSize(2).allMatch(m -> m.shard().tenantId().equals(big));
  }

  @Test
  void fillBringsShardsHomeFirst() {
    List<ShardPlacement> shards = new ArrayList<>();
    for (int i = 0; i < 4; i++) {
      shards.add(
          new ShardPlacement(
              TenantShardId.unsharded(TenantId.generate()), B, List.of(A), true, "az-b"));
    }
    ShardPlacement home =
        new ShardPlacement(
            TenantShardId.unsharded(TenantId.generate()), B, List.of(A), true, "az-a");
    shards.add(home);
    // 6 attached over 3 nodes: the fair share is 2, all of it from B; the home shard comes first.
    Map<NodeId, Long> attached = Map.of(A, 0L, B, 5L, C, 1L);

    List<PlannedMove> moves = FillPlanner.plan(A, "az-a", shards, attached, Map.of(), 100);

    assertThat(moves).hasSize(2);
    assertThat(moves.get(0).shard()).isEqualTo(home.id());
    assertThat(FillPlanner.plan(A, null, shards, attached, Map.of(), 100))
        .extracting(PlannedMove::shard)
        .doesNotContain(home.id());
  }

  @Test
  void aNodeAtItsFairShareTakesNothing() {
    List<ShardPlacement> shards = List.of(shard(B, A), shard(A, B));
    assertThat(FillPlanner.plan(A, shards, Map.of(A, 1L, B, 1L), Map.of(), 100)).isEmpty();
  }
}
