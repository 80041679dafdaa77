package io.storagecontroller.scheduler;

import static org.assertj.core.api.Assertions.assertThat;

import io.storagecontroller.model.NodeAvailability;
import io.storagecontroller.model.NodeId;
import io.storagecontroller.model.NodeSchedulingPolicy;
import org.junit.jupiter.api.Test;

class AttachedShardCountTest {
  @Test
  void countsOnlyAttachedLocations() {
    SchedulerNode node =
        new SchedulerNode(
            NodeId.of(1), "a", NodeSchedulingPolicy.ACTIVE, NodeAvailability.ACTIVE, null);
    node.apply(RefCountUpdate.ATTACH, true);
    node.apply(RefCountUpdate.ATTACH, false);
    node.apply(RefCountUpdate.ADD_SECONDARY, false);

    assertThat(new AttachedShardCount().score(node, ScheduleRequest.anywhere())).isEqualTo(2);
  }
}
