package io.storagecontroller.shard;

import static io.storagecontroller.model.NodeAvailability.ACTIVE;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;

import io.storagecontroller.model.NodeId;
import io.storagecontroller.model.NodeSchedulingPolicy;
import io.storagecontroller.scheduler.Scheduler;
import io.storagecontroller.scheduler.SchedulerNodeState;
import java.util.List;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class IntentStateTest {
  private static final NodeId N1 = NodeId.of(1);
  private static final NodeId N2 = NodeId.of(2);
  private static final NodeId N3 = NodeId.of(3);

  private final Scheduler scheduler = new Scheduler();
  private final IntentState intent = new IntentState(scheduler, "az-a");

  @BeforeEach
  void nodes() {
    scheduler.upsertNode(N1, "az-a", NodeSchedulingPolicy.ACTIVE, ACTIVE);
    scheduler.upsertNode(N2, "az-b", NodeSchedulingPolicy.ACTIVE, ACTIVE);
    scheduler.upsertNode(N3, "az-b", NodeSchedulingPolicy.ACTIVE, ACTIVE);
  }

  private SchedulerNodeState state(NodeId node) {
    return scheduler.node(node).orElseThrow();
  }

  private void assertCounts(NodeId node, long shards, long attached, long home) {
    SchedulerNodeState state = state(node);
    assertThat(List.of(state.shardCount(), state.attachedShardCount(), state.homeShardCount()))
        .as("shard, attached and home counts of node %s", node)
        .containsExactly(shards, attached, home);
  }

  private void assertConsistent() {
    assertThat(scheduler.consistencyCheck(List.of(intent))).isEmpty();
  }

  @Test
  void attachingCountsTheNodeAndReplacingItReleasesTheOld() {
    assertThat(intent.setAttached(N1)).isTrue();
    assertCounts(N1, 1, 1, 1);

    assertThat(intent.setAttached(N2)).isTrue();
    assertThat(intent.attached()).isEqualTo(N2);
    assertCounts(N1, 0, 0, 0);
    assertCounts(N2, 1, 1, 0);

    assertThat(intent.setAttached(N2)).isFalse();
    assertThat(intent.clearAttached()).isTrue();
    assertThat(intent.clearAttached()).isFalse();
    assertCounts(N2, 0, 0, 0);
    assertConsistent();
  }

  @Test
  void attachingToASecondaryTakesItOver() {
    intent.setAttached(N1);
    intent.addSecondary(N2);

    intent.setAttached(N2);

    assertThat(intent.attached()).isEqualTo(N2);
    assertThat(intent.secondaries()).isEmpty();
    assertCounts(N2, 1, 1, 0);
    assertCounts(N1, 0, 0, 0);
    assertConsistent();
  }

  @Test
  void aSecondaryNeverSharesTheAttachedNode() {
    intent.setAttached(N1);

    assertThatIllegalArgumentException()
        .isThrownBy(() -> intent.addSecondary(N1))
        .withMessageContaining("attached location");
    assertCounts(N1, 1, 1, 1);
    assertConsistent();
  }

  @Test
  void secondariesKeepTheirOrderAndAreCountedOnce() {
    assertThat(intent.addSecondary(N3)).isTrue();
    assertThat(intent.addSecondary(N2)).isTrue();
    assertThat(intent.addSecondary(N3)).isFalse();

    assertThat(intent.secondaries()).containsExactly(N3, N2);
    assertCounts(N3, 1, 0, 0);

    assertThat(intent.removeSecondary(N3)).isTrue();
    assertThat(intent.removeSecondary(N3)).isFalse();
    assertCounts(N3, 0, 0, 0);
    assertConsistent();
  }

  @Test
  void promotingASecondaryKeepsTheOldAttachedAsSecondary() {
    intent.setAttached(N1);
    intent.addSecondary(N2);

    intent.promoteSecondary(N2);

    assertThat(intent.attached()).isEqualTo(N2);
    assertThat(intent.secondaries()).containsExactly(N1);
    assertCounts(N1, 1, 0, 1);
    assertCounts(N2, 1, 1, 0);
    assertConsistent();
  }

  @Test
  void promotingANodeThatIsNotASecondaryIsRefused() {
    intent.setAttached(N1);
    assertThatIllegalArgumentException().isThrownBy(() -> intent.promoteSecondary(N2));
    assertConsistent();
  }

  @Test
  void demotingKeepsTheWarmLocation() {
    intent.setAttached(N1);
    intent.addSecondary(N2);

    assertThat(intent.demoteAttached()).isTrue();
    assertThat(intent.demoteAttached()).isFalse();

    assertThat(intent.attached()).isNull();
    assertThat(intent.secondaries()).containsExactly(N2, N1);
    assertCounts(N1, 1, 0, 1);
    assertConsistent();
  }

  @Test
  void clearReleasesEveryCount() {
    intent.setAttached(N1);
    intent.addSecondary(N2);
    intent.addSecondary(N3);

    assertThat(intent.clear()).isTrue();
    assertThat(intent.clear()).isFalse();

    assertThat(intent.allNodes()).isEmpty();
    for (NodeId node : List.of(N1, N2, N3)) {
      assertCounts(node, 0, 0, 0);
    }
  }

  @Test
  void derefDropsTheNodeWhereverItIs() {
    intent.setAttached(N1);
    intent.addSecondary(N2);

    assertThat(intent.derefNode(N2)).isTrue();
    assertThat(intent.derefNode(N1)).isTrue();
    assertThat(intent.derefNode(N3)).isFalse();

    assertThat(intent.allNodes()).isEmpty();
    assertConsistent();
  }

  @Test
  void allNodesListsTheAttachedFirst() {
    intent.addSecondary(N3);
    intent.setAttached(N1);
    intent.addSecondary(N2);

    assertThat(intent.allNodes()).containsExactly(N1, N3, N2);
  }

  @Test
  void anUnknownNodeIsRefusedWithoutChangingAnything() {
    intent.setAttached(N1);

    assertThatIllegalArgumentException().isThrownBy(() -> intent.setAttached(NodeId.of(99)));
    assertThatIllegalArgumentException().isThrownBy(() -> intent.addSecondary(NodeId.of(99)));

    assertThat(intent.attached()).isEqualTo(N1);
    assertThat(intent.secondaries()).isEmpty();
    assertConsistent();
  }

  @Test
  void changingThePreferredAzMovesHomeCounts() {
    intent.setAttached(N1);
    intent.addSecondary(N2);

    assertThat(intent.setPreferredAz("az-b")).isTrue();
    assertThat(intent.setPreferredAz("az-b")).isFalse();

    assertCounts(N1, 1, 1, 0);
    assertCounts(N2, 1, 0, 1);
    assertConsistent();

    intent.setPreferredAz(null);
    assertCounts(N2, 1, 0, 0);
    assertConsistent();
  }
}
