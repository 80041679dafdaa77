package io.storagecontroller.shard;

import static io.storagecontroller.model.NodeAvailability.ACTIVE;
import static io.storagecontroller.model.NodeAvailability.OFFLINE;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.storagecontroller.model.NodeId;
import io.storagecontroller.model.NodeSchedulingPolicy;
import io.storagecontroller.model.PlacementPolicy;
import io.storagecontroller.model.ShardCount;
import io.storagecontroller.model.ShardNumber;
import io.storagecontroller.model.ShardSchedulingPolicy;
import io.storagecontroller.model.TenantId;
import io.storagecontroller.model.TenantShardId;
import io.storagecontroller.scheduler.ScheduleContext;
import io.storagecontroller.scheduler.ScheduleException;
import io.storagecontroller.scheduler.Scheduler;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import org.junit.jupiter.api.Test;

class IntentScheduleTest {
  private static final TenantId TENANT = TenantId.parse("1f359dd625e519a1a4e8d7509690f6fc");
  private static final TenantShardId SHARD = TenantShardId.unsharded(TENANT);

  private final Scheduler scheduler = new Scheduler();
  private final ScheduleContext context = new ScheduleContext();

  private static NodeId id(long value) {
    return NodeId.of(value);
  }

  private void node(long id, String az) {
    scheduler.upsertNode(id(id), az, NodeSchedulingPolicy.ACTIVE, ACTIVE);
  }

  private boolean schedule(IntentState intent, PlacementPolicy policy) {
    return intent.schedule(SHARD, policy, ShardSchedulingPolicy.ACTIVE, context);
  }

  @Test
  void attachedWithSecondariesUsesDistinctNodes() {
    node(1, null);
    node(2, null);
    node(3, null);
    IntentState intent = new IntentState(scheduler);

    assertThat(schedule(intent, PlacementPolicy.attached(2))).isTrue();

    assertThat(intent.attached()).isNotNull();
    assertThat(intent.secondaries()).hasSize(2).doesNotContain(intent.attached());
    assertThat(new HashSet<>(intent.allNodes())).hasSize(3);
    assertThat(schedule(intent, PlacementPolicy.attached(2))).isFalse();
    assertThat(scheduler.consistencyCheck(List.of(intent))).isEmpty();
  }

  @Test
  void shardsOfOneTenantSpreadAcrossNodes() {
    for (long n = 1; n <= 4; n++) {
      node(n, null);
    }
    List<IntentState> shards = new ArrayList<>();
    for (int i = 0; i < 4; i++) {
      IntentState intent = new IntentState(scheduler);
      TenantShardId shard = new TenantShardId(TENANT, new ShardNumber(i), new ShardCount(4));
      intent.schedule(shard, PlacementPolicy.attached(0), ShardSchedulingPolicy.ACTIVE, context);
      shards.add(intent);
    }

    assertThat(shards.stream().map(IntentState::attached).distinct()).hasSize(4);
    for (long n = 1; n <= 4; n++) {
      assertThat(context.affinity(id(n))).isEqualTo(1);
    }
  }

  @Test
  void anotherTenantsShardsDoNotCountAsAffinity() {
    node(1, null);
    node(2, null);
    IntentState other = new IntentState(scheduler);
    other.setAttached(id(1));
    other.addSecondary(id(2));
    IntentState mine = new IntentState(scheduler);

    schedule(mine, PlacementPolicy.attached(0));

    // Both nodes hold one location; node 1's attachment breaks the tie.
    assertThat(mine.attached()).isEqualTo(id(2));
  }

  @Test
  void anExistingSecondaryIsPromotedRatherThanAFreshNode() {
    node(1, null);
    node(2, null);
    node(3, null);
    IntentState intent = new IntentState(scheduler);
    intent.addSecondary(id(3));

    schedule(intent, PlacementPolicy.attached(1));

    assertThat(intent.attached()).isEqualTo(id(3));
    assertThat(intent.secondaries()).containsExactly(id(1));
  }

  @Test
  void theSecondaryOutsideTheHomeAzIsPromotedFirst() {
    node(1, "az-a");
    node(2, "az-b");
    IntentState intent = new IntentState(scheduler, "az-a");
    intent.addSecondary(id(1));
    intent.addSecondary(id(2));

    schedule(intent, PlacementPolicy.attached(1));

    assertThat(intent.attached()).isEqualTo(id(2));
    assertThat(intent.secondaries()).containsExactly(id(1));
  }

  @Test
  void aSecondaryOnAnUnschedulableNodeIsNotPromoted() {
    node(1, null);
    node(2, null);
    IntentState intent = new IntentState(scheduler);
    intent.addSecondary(id(2));
    scheduler.upsertNode(id(2), null, NodeSchedulingPolicy.ACTIVE, OFFLINE);

    schedule(intent, PlacementPolicy.attached(1));

    assertThat(intent.attached()).isEqualTo(id(1));
    assertThat(intent.secondaries()).containsExactly(id(2));
  }

  @Test
  void attachedGoesToTheHomeAzAndTheSecondaryElsewhere() {
    node(1, "az-a");
    node(2, "az-a");
    node(3, "az-b");
    IntentState intent = new IntentState(scheduler, "az-b");

    schedule(intent, PlacementPolicy.attached(1));

    assertThat(intent.attached()).isEqualTo(id(3));
    assertThat(intent.secondaries()).containsExactly(id(1));
  }

  @Test
  void extraSecondariesAreLeftForTheOptimiser() {
    node(1, null);
    node(2, null);
    node(3, null);
    IntentState intent = new IntentState(scheduler);
    intent.setAttached(id(1));
    intent.addSecondary(id(2));
    intent.addSecondary(id(3));

    assertThat(schedule(intent, PlacementPolicy.attached(0))).isFalse();
    assertThat(intent.secondaries()).containsExactly(id(2), id(3));
  }

  @Test
  void secondaryPolicyDemotesTheAttachedAndKeepsOneInTheHomeAz() {
    node(1, "az-a");
    node(2, "az-b");
    IntentState intent = new IntentState(scheduler, "az-a");
    intent.setAttached(id(1));
    intent.addSecondary(id(2));

    assertThat(schedule(intent, PlacementPolicy.SECONDARY)).isTrue();

    assertThat(intent.attached()).isNull();
    assertThat(intent.secondaries()).containsExactly(id(1));
    assertThat(scheduler.consistencyCheck(List.of(intent))).isEmpty();
  }

  @Test
  void secondaryPolicyPlacesALoneSecondaryLikeAnAttachment() {
    node(1, "az-a");
    node(2, "az-b");
    IntentState intent = new IntentState(scheduler, "az-b");

    schedule(intent, PlacementPolicy.SECONDARY);

    assertThat(intent.secondaries()).containsExactly(id(2));
  }

  @Test
  void detachedClearsEverything() {
    node(1, null);
    node(2, null);
    IntentState intent = new IntentState(scheduler);
    schedule(intent, PlacementPolicy.attached(1));

    assertThat(schedule(intent, PlacementPolicy.DETACHED)).isTrue();

    assertThat(intent.allNodes()).isEmpty();
    assertThat(scheduler.node(id(1)).orElseThrow().shardCount()).isZero();
    assertThat(scheduler.node(id(2)).orElseThrow().shardCount()).isZero();
    assertThat(schedule(intent, PlacementPolicy.DETACHED)).isFalse();
  }

  @Test
  void pausedAndStoppedShardsAreNotScheduled() {
    node(1, null);
    IntentState intent = new IntentState(scheduler);
    for (ShardSchedulingPolicy policy :
        List.of(ShardSchedulingPolicy.PAUSE, ShardSchedulingPolicy.STOP)) {
      assertThat(intent.schedule(SHARD, PlacementPolicy.attached(0), policy, context)).isFalse();
    }
    assertThat(intent.allNodes()).isEmpty();
  }

  @Test
  void nothingSchedulableLeavesTheIntentAsItWas() {
    node(1, null);
    node(2, null);
    IntentState intent = new IntentState(scheduler);
    intent.setAttached(id(1));
    intent.demoteAttached();
    scheduler.upsertNode(id(1), null, NodeSchedulingPolicy.ACTIVE, OFFLINE);
    scheduler.upsertNode(id(2), null, NodeSchedulingPolicy.PAUSE, ACTIVE);

    assertThatThrownBy(() -> schedule(intent, PlacementPolicy.attached(1)))
        .isInstanceOf(ScheduleException.NoPageservers.class)
        .hasMessage(
            "Scheduling error: No pageservers found for tenant shard "
                + SHARD
                + ": 2 registered, none schedulable (Offline: 1, Pause: 1)");

    assertThat(intent.attached()).isNull();
    assertThat(intent.secondaries()).containsExactly(id(1));
    assertThat(context.affinity(id(1))).as("the context still learns the shard's nodes").isOne();
    assertThat(scheduler.consistencyCheck(List.of(intent))).isEmpty();
  }

  @Test
  void aMissingSecondaryDoesNotUndoThePromotion() {
    node(1, null);
    node(2, null);
    IntentState intent = new IntentState(scheduler);
    intent.setAttached(id(1));
    intent.addSecondary(id(2));
    // Node 1 fails: the service demotes, then schedules; only node 2 is left.
    scheduler.upsertNode(id(1), null, NodeSchedulingPolicy.ACTIVE, OFFLINE);
    intent.demoteAttached();

    assertThatThrownBy(() -> schedule(intent, PlacementPolicy.attached(2)))
        .isInstanceOf(ScheduleException.ImpossibleConstraint.class);

    assertThat(intent.attached()).isEqualTo(id(2));
    assertThat(intent.secondaries()).containsExactly(id(1));
    assertThat(scheduler.consistencyCheck(List.of(intent))).isEmpty();
  }
}
