package io.storagecontroller.reconcile;

import static org.assertj.core.api.Assertions.assertThat;

import io.storagecontroller.model.Generation;
import io.storagecontroller.model.LocationConfigMode;
import io.storagecontroller.model.NodeId;
import io.storagecontroller.model.PlacementPolicy;
import io.storagecontroller.model.ShardCount;
import io.storagecontroller.model.ShardNumber;
import io.storagecontroller.model.ShardStripeSize;
import io.storagecontroller.model.TenantId;
import io.storagecontroller.model.TenantShardId;
import io.storagecontroller.pageserver.LocationConfig;
import io.storagecontroller.pageserver.PageserverJson;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.node.ObjectNode;

class ShardReconcilePlannerTest {
  static final NodeId A = new NodeId(1);
  static final NodeId B = new NodeId(2);
  static final NodeId C = new NodeId(3);
  static final TenantShardId SHARD =
      new TenantShardId(TenantId.generate(), ShardNumber.of(1), ShardCount.of(4));

  static ObjectNode config(String json) {
    return (ObjectNode) PageserverJson.mapper().readTree(json);
  }

  static ShardSnapshot snapshot(
      PlacementPolicy policy,
      long generation,
      NodeId attached,
      List<NodeId> secondaries,
      Map<NodeId, Optional<LocationConfig>> observed,
      Set<NodeId> available) {
    return new ShardSnapshot(
        SHARD,
        ShardStripeSize.DEFAULT,
        Generation.of(generation),
        policy,
        config("{\"gc_period\":\"1h\"}"),
        attached,
        secondaries,
        observed,
        available);
  }

  static LocationConfig attached(long gen, ObjectNode conf) {
    return new LocationConfig(LocationConfigMode.ATTACHED_SINGLE, gen, null, 1, 4, 2048, conf);
  }

  @Test
  void freshShardAttachesWithANewGenerationAndWarmsSecondaries() {
    ShardReconcilePlan plan =
        ShardReconcilePlanner.plan(
            snapshot(PlacementPolicy.attached(1), 0, A, List.of(B), Map.of(), Set.of(A, B, C)));
    assertThat(plan.attach().node()).isEqualTo(A);
    assertThat(plan.attach().newGeneration()).isTrue();
    assertThat(plan.attach().wanted().tenantConf().get("heatmap_period").asString())
        .isEqualTo("1m");
    assertThat(plan.secondaries())
        .singleElement()
        .satisfies(
            c -> {
              assertThat(c.node()).isEqualTo(B);
              assertThat(c.wanted().mode()).isEqualTo(LocationConfigMode.SECONDARY);
              assertThat(c.wanted().secondaryConf().warm()).isTrue();
            });
    assertThat(plan.detaches()).isEmpty();
  }

  @Test
  void matchingStateIsClean() {
    ShardSnapshot base =
        snapshot(PlacementPolicy.attached(0), 5, A, List.of(), Map.of(), Set.of(A, B));
    LocationConfig wanted = ShardReconcilePlanner.plan(base).attach().wanted();
    ShardSnapshot clean =
        snapshot(
            PlacementPolicy.attached(0),
            5,
            A,
            List.of(),
            Map.of(A, Optional.of(wanted)),
            Set.of(A, B));
    assertThat(ShardReconcilePlanner.isClean(clean)).isTrue();
    assertThat(wanted.tenantConf().has("heatmap_period")).isFalse();
  }

  @Test
  void configOnlyChangeKeepsTheGeneration() {
    LocationConfig old = attached(5, config("{\"gc_period\":\"2h\"}"));
    ShardReconcilePlan plan =
        ShardReconcilePlanner.plan(
            snapshot(
                PlacementPolicy.attached(0),
                5,
                A,
                List.of(),
                Map.of(A, Optional.of(old)),
                Set.of(A)));
    assertThat(plan.attach()).isNotNull();
    assertThat(plan.attach().newGeneration()).isFalse();
    assertThat(plan.attach().wanted().generation()).isEqualTo(5L);
  }

  @Test
  void staleGenerationOrUnknownLocationNeedsANewGeneration() {
    LocationConfig stale = attached(4, config("{\"gc_period\":\"1h\"}"));
    assertThat(
            ShardReconcilePlanner.plan(
                    snapshot(
                        PlacementPolicy.attached(0),
                        5,
                        A,
                        List.of(),
                        Map.of(A, Optional.of(stale)),
                        Set.of(A)))
                .attach()
                .newGeneration())
        .isTrue();
    assertThat(
            ShardReconcilePlanner.plan(
                    snapshot(
                        PlacementPolicy.attached(0),
                        5,
                        A,
                        List.of(),
                        Map.of(A, Optional.empty()),
                        Set.of(A)))
                .attach()
                .newGeneration())
        .isTrue();
  }

  @Test
  void locationsOutsideTheIntentAreDetached() {
    Map<NodeId, Optional<LocationConfig>> observed = new HashMap<>();
    observed.put(C, Optional.of(attached(3, config("{}"))));
    ShardReconcilePlan plan =
        ShardReconcilePlanner.plan(
            snapshot(PlacementPolicy.attached(0), 5, A, List.of(), observed, Set.of(A, C)));
    assertThat(plan.detaches())
        .singleElement()
        .satisfies(
            c -> {
              assertThat(c.node()).isEqualTo(C);
              assertThat(c.wanted().mode()).isEqualTo(LocationConfigMode.DETACHED);
            });
  }

  @Test
  void offlineNodesAreSkippedAndKeepTheShardDirty() {
    Map<NodeId, Optional<LocationConfig>> observed = new HashMap<>();
    observed.put(C, Optional.empty());
    ShardSnapshot s = snapshot(PlacementPolicy.attached(1), 5, A, List.of(B), observed, Set.of(A));
    ShardReconcilePlan plan = ShardReconcilePlanner.plan(s);
    assertThat(plan.attach().node()).isEqualTo(A);
    assertThat(plan.secondaries()).isEmpty();
    assertThat(plan.detaches()).isEmpty();
    assertThat(plan.skippedOffline()).containsExactlyInAnyOrder(B, C);
    assertThat(ShardReconcilePlanner.isClean(s)).isFalse();
  }

  @Test
  void detachedPolicyRemovesEverything() {
    Map<NodeId, Optional<LocationConfig>> observed = new HashMap<>();
    observed.put(A, Optional.of(attached(5, config("{}"))));
    observed.put(B, Optional.empty());
    ShardReconcilePlan plan =
        ShardReconcilePlanner.plan(
            snapshot(PlacementPolicy.DETACHED, 5, null, List.of(), observed, Set.of(A, B)));
    assertThat(plan.attach()).isNull();
    assertThat(plan.detaches())
        .extracting(ShardReconcilePlan.Change::node)
        .containsExactlyInAnyOrder(A, B);
  }
}
