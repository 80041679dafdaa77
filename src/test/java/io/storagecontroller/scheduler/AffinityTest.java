package io.storagecontroller.scheduler;

import static org.assertj.core.api.Assertions.assertThat;

import io.storagecontroller.model.NodeAvailability;
import io.storagecontroller.model.NodeId;
import io.storagecontroller.model.NodeSchedulingPolicy;
import java.util.Set;
import org.junit.jupiter.api.Test;

class AffinityTest {
  @Test
  void countsTheTenantsLocationsOnTheNode() {
    SchedulerNode node =
        new SchedulerNode(
            NodeId.of(7), null, NodeSchedulingPolicy.ACTIVE, NodeAvailability.ACTIVE, null);
    ScheduleContext context = new ScheduleContext();
    ScheduleRequest request = new ScheduleRequest(Set.of(), null, context);
    assertThat(new Affinity().score(node, request)).isZero();

    context.avoid(NodeId.of(7));
    context.avoid(NodeId.of(7));
    context.avoid(NodeId.of(8));

    assertThat(new Affinity().score(node, request)).isEqualTo(2);
  }
}
