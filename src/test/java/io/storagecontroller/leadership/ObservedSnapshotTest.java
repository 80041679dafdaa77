package io.storagecontroller.leadership;

import static org.assertj.core.api.Assertions.assertThat;

import io.storagecontroller.model.LocationConfigMode;
import io.storagecontroller.model.NodeId;
import io.storagecontroller.model.TenantId;
import io.storagecontroller.model.TenantShardId;
import org.junit.jupiter.api.Test;

/** The step-down answer, Neon's GlobalObservedState, read by node. */
class ObservedSnapshotTest {
  @Test
  void locationsAreReadByNodeAndANullConfIsUnknown() {
    TenantShardId shard = TenantShardId.unsharded(TenantId.generate());
    String answer =
        """
        {"%s": {"locations": {
          "1": {"conf": {"mode": "AttachedSingle", "generation": 7, "secondary_conf": null,
                         "shard_number": 0, "shard_count": 0, "shard_stripe_size": 2048,
                         "tenant_conf": {}}},
          "2": {"conf": null}}}}"""
            .formatted(shard);
    ObservedSnapshot snapshot = ObservedSnapshot.parse(answer).orElseThrow();
    assertThat(snapshot.nodes()).containsExactlyInAnyOrder(NodeId.of(1), NodeId.of(2));
    assertThat(snapshot.byShard().get(shard).get(NodeId.of(1)))
        .hasValueSatisfying(
            c -> {
              assertThat(c.mode()).isEqualTo(LocationConfigMode.ATTACHED_SINGLE);
              assertThat(c.generation()).isEqualTo(7L);
            });
    assertThat(snapshot.byShard().get(shard).get(NodeId.of(2))).isEmpty();
    assertThat(snapshot.size()).isEqualTo(2);
    assertThat(snapshot.byShard().get(shard)).doesNotContainKey(NodeId.of(3));
  }

  @Test
  void anAnswerThatCannotBeReadLeavesTheNewLeaderToScan() {
    assertThat(ObservedSnapshot.parse("not json")).isEmpty();
    assertThat(ObservedSnapshot.parse("{\"nope\": {\"locations\": {}}}")).isEmpty();
  }

  /**
   * The candidate's read ahead brought up to date by the step-down's changes: a changed shard's
   * locations replace its old ones whole, others stay as read.
   */
  @Test
  void changesReplaceAShardsLocationsWholeAndLeaveTheOthersAsRead() {
    TenantShardId moved = TenantShardId.unsharded(TenantId.generate());
    TenantShardId quiet = TenantShardId.unsharded(TenantId.generate());
    TenantShardId created = TenantShardId.unsharded(TenantId.generate());
    ObservedSnapshot ahead =
        ObservedSnapshot.parse(
                "{\"%s\": {\"locations\": {\"1\": %s}}, \"%s\": {\"locations\": {\"1\": %s}}}"
                    .formatted(moved, attached(3), quiet, attached(4)))
            .orElseThrow();
    ObservedSnapshot changes =
        ObservedSnapshot.parse(
                "{\"%s\": {\"locations\": {\"2\": %s}}, \"%s\": {\"locations\": {\"2\": {\"conf\": null}}}}"
                    .formatted(moved, attached(5), created))
            .orElseThrow();

    ObservedSnapshot now = ahead.updatedBy(changes);

    assertThat(now.byShard().get(quiet)).containsOnlyKeys(NodeId.of(1));
    assertThat(now.byShard().get(moved)).doesNotContainKey(NodeId.of(1));
    assertThat(now.byShard().get(moved).get(NodeId.of(2)).orElseThrow().generation()).isEqualTo(5L);
    assertThat(now.byShard().get(created).get(NodeId.of(2))).isEmpty();
    assertThat(now.shards()).isEqualTo(3);
    assertThat(now.replacedSince(ahead)).contains(java.util.Set.of(moved, created));
    assertThat(now.replacedSince(changes)).isEmpty();
  }

  private static String attached(long generation) {
    return ("{\"conf\": {\"mode\": \"AttachedSingle\", \"generation\": %d, \"secondary_conf\": null,"
            + " \"shard_number\": 0, \"shard_count\": 0, \"shard_stripe_size\": 2048,"
            + " \"tenant_conf\": {}}}")
        .formatted(generation);
  }
}
