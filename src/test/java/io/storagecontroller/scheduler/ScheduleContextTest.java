package io.storagecontroller.scheduler;

import static org.assertj.core.api.Assertions.assertThat;

import io.storagecontroller.model.NodeId;
import java.util.List;
import org.junit.jupiter.api.Test;

class ScheduleContextTest {
  @Test
  void eachAvoidCountsOneMoreLocation() {
    ScheduleContext context = new ScheduleContext();
    context.avoid(List.of(NodeId.of(1), NodeId.of(2)));
    context.avoid(NodeId.of(1));

    assertThat(context.affinity(NodeId.of(1))).isEqualTo(2);
    assertThat(context.affinity(NodeId.of(2))).isEqualTo(1);
    assertThat(context.affinity(NodeId.of(3))).isZero();
  }
}
