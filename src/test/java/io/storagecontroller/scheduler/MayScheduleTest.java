package io.storagecontroller.scheduler;

import static org.assertj.core.api.Assertions.assertThat;

import io.storagecontroller.model.NodeAvailability;
import io.storagecontroller.model.NodeId;
import io.storagecontroller.model.NodeSchedulingPolicy;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

class MayScheduleTest {
  private final MaySchedule rule = new MaySchedule();

  private static SchedulerNode node(
      long id, NodeSchedulingPolicy scheduling, NodeAvailability availability) {
    return new SchedulerNode(NodeId.of(id), "az-a", scheduling, availability, null);
  }

  @ParameterizedTest
  @EnumSource(NodeSchedulingPolicy.class)
  void onlyActiveAndFillingPoliciesTakeShards(NodeSchedulingPolicy policy) {
    boolean expected =
        policy == NodeSchedulingPolicy.ACTIVE || policy == NodeSchedulingPolicy.FILLING;
    assertThat(rule.admits(node(1, policy, NodeAvailability.ACTIVE), ScheduleRequest.anywhere()))
        .isEqualTo(expected);
  }

  @ParameterizedTest
  @EnumSource(
      value = NodeAvailability.class,
      names = {"OFFLINE", "WARMING_UP"})
  void nodesThatAreNotActiveTakeNothing(NodeAvailability availability) {
    assertThat(
            rule.admits(
                node(1, NodeSchedulingPolicy.ACTIVE, availability), ScheduleRequest.anywhere()))
        .isFalse();
  }

  @Test
  void failureCountsWhyEachNodeWasRefused() {
    ScheduleException failure =
        rule.noneAdmitted(
            List.of(
                node(1, NodeSchedulingPolicy.ACTIVE, NodeAvailability.OFFLINE),
                node(2, NodeSchedulingPolicy.PAUSE, NodeAvailability.ACTIVE),
                node(3, NodeSchedulingPolicy.DRAINING, NodeAvailability.OFFLINE)),
            ScheduleRequest.anywhere());

    assertThat(failure)
        .isInstanceOf(ScheduleException.NoPageservers.class)
        .hasMessage(
            "Scheduling error: No pageservers found: 3 registered, none schedulable"
                + " (Offline: 2, Pause: 1)");
  }

  @Test
  void failureWithNoNodesSaysSo() {
    assertThat(rule.noneAdmitted(List.of(), ScheduleRequest.anywhere()))
        .hasMessage("Scheduling error: No pageservers found: none registered");
  }
}
