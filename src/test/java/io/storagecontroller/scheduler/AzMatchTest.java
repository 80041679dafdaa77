package io.storagecontroller.scheduler;

import static org.assertj.core.api.Assertions.assertThat;

import io.storagecontroller.model.NodeAvailability;
import io.storagecontroller.model.NodeId;
import io.storagecontroller.model.NodeSchedulingPolicy;
import java.util.Set;
import org.junit.jupiter.api.Test;

class AzMatchTest {
  private static SchedulerNode nodeIn(String az) {
    return new SchedulerNode(
        NodeId.of(1), az, NodeSchedulingPolicy.ACTIVE, NodeAvailability.ACTIVE, null);
  }

  private static ScheduleRequest preferring(String az) {
    return new ScheduleRequest(Set.of(), az, new ScheduleContext());
  }

  @Test
  void attachedLocationsPreferTheHomeAz() {
    assertThat(AzMatch.ATTACHED.score(nodeIn("a"), preferring("a"))).isZero();
    assertThat(AzMatch.ATTACHED.score(nodeIn("b"), preferring("a"))).isEqualTo(2);
  }

  @Test
  void secondariesPreferAnotherAz() {
    assertThat(AzMatch.SECONDARY.score(nodeIn("b"), preferring("a"))).isZero();
    assertThat(AzMatch.SECONDARY.score(nodeIn("a"), preferring("a"))).isEqualTo(2);
  }

  @Test
  void aMissingAzRanksBetween() {
    for (AzMatch term : new AzMatch[] {AzMatch.ATTACHED, AzMatch.SECONDARY}) {
      assertThat(term.score(nodeIn("a"), preferring(null))).isEqualTo(1);
      assertThat(term.score(nodeIn(null), preferring("a"))).isEqualTo(1);
    }
  }
}
