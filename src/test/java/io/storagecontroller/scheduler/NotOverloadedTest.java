package io.storagecontroller.scheduler;

import static org.assertj.core.api.Assertions.assertThat;

import io.storagecontroller.model.NodeAvailability;
import io.storagecontroller.model.NodeId;
import io.storagecontroller.model.NodeSchedulingPolicy;
import org.junit.jupiter.api.Test;

class NotOverloadedTest {
  private final NotOverloaded rule = new NotOverloaded();

  private static SchedulerNode node(Utilization utilization) {
    return new SchedulerNode(
        NodeId.of(1), null, NodeSchedulingPolicy.ACTIVE, NodeAvailability.ACTIVE, utilization);
  }

  @Test
  void refusesNodesAtTwiceTheirCapacity() {
    assertThat(rule.admits(node(Utilization.of(0, 100, 200, 100)), ScheduleRequest.anywhere()))
        .isFalse();
    assertThat(rule.admits(node(Utilization.of(0, 100, 199, 100)), ScheduleRequest.anywhere()))
        .isTrue();
  }

  @Test
  void unknownLoadIsNotOverload() {
    assertThat(rule.admits(node(null), ScheduleRequest.anywhere())).isTrue();
  }
}
