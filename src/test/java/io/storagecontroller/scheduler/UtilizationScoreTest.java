package io.storagecontroller.scheduler;

import static org.assertj.core.api.Assertions.assertThat;

import io.storagecontroller.model.NodeAvailability;
import io.storagecontroller.model.NodeId;
import io.storagecontroller.model.NodeSchedulingPolicy;
import org.junit.jupiter.api.Test;

class UtilizationScoreTest {
  private static SchedulerNode node(Utilization utilization) {
    return new SchedulerNode(
        NodeId.of(1), null, NodeSchedulingPolicy.ACTIVE, NodeAvailability.ACTIVE, utilization);
  }

  @Test
  void isTheReportedScore() {
    assertThat(
            new UtilizationScore()
                .score(node(Utilization.of(50, 100, 0, 10)), ScheduleRequest.anywhere()))
        .isEqualTo(500_000);
  }

  @Test
  void unknownLoadScoresZero() {
    assertThat(new UtilizationScore().score(node(null), ScheduleRequest.anywhere())).isZero();
  }

  @Test
  void risesAsLocationsArePlacedBeforeTheNextHeartbeat() {
    SchedulerNode node = node(Utilization.of(0, 100, 0, 10));
    node.apply(RefCountUpdate.ATTACH, false);
    node.apply(RefCountUpdate.ADD_SECONDARY, false);

    assertThat(new UtilizationScore().score(node, ScheduleRequest.anywhere())).isEqualTo(200_000);

    node.apply(RefCountUpdate.DETACH, false);
    assertThat(new UtilizationScore().score(node, ScheduleRequest.anywhere()))
        .as("stays high until the pageserver reports the shard gone")
        .isEqualTo(200_000);
  }
}
