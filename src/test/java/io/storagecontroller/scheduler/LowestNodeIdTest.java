package io.storagecontroller.scheduler;

import static org.assertj.core.api.Assertions.assertThat;

import io.storagecontroller.model.NodeAvailability;
import io.storagecontroller.model.NodeId;
import io.storagecontroller.model.NodeSchedulingPolicy;
import org.junit.jupiter.api.Test;

class LowestNodeIdTest {
  @Test
  void scoresTheNodeId() {
    SchedulerNode node =
        new SchedulerNode(
            NodeId.of(42), null, NodeSchedulingPolicy.ACTIVE, NodeAvailability.ACTIVE, null);
    assertThat(new LowestNodeId().score(node, ScheduleRequest.anywhere())).isEqualTo(42);
  }
}
