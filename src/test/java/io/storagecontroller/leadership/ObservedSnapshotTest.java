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
    ObservedSnapshot snapshot = ObservedSnapshot.parseLater(answer).join().orElseThrow();
    assertThat(snapshot.nodes()).containsExactlyInAnyOrder(NodeId.of(1), NodeId.of(2));
    assertThat(snapshot.locations(NodeId.of(1)).get(shard))
        .hasValueSatisfying(
            c -> {
              assertThat(c.mode()).isEqualTo(LocationConfigMode.ATTACHED_SINGLE);
              assertThat(c.generation()).isEqualTo(7L);
            });
    assertThat(snapshot.locations(NodeId.of(2)).get(shard)).isEmpty();
    assertThat(snapshot.size()).isEqualTo(2);
    assertThat(snapshot.locations(NodeId.of(3))).isEmpty();
  }

  @Test
  void anAnswerThatCannotBeReadLeavesTheNewLeaderToScan() {
    assertThat(ObservedSnapshot.parse("not json")).isEmpty();
    assertThat(ObservedSnapshot.parse("{\"nope\": {\"locations\": {}}}")).isEmpty();
  }
}
