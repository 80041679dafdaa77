package io.storagecontroller.scheduler;

import static org.assertj.core.api.Assertions.assertThat;

import io.storagecontroller.model.NodeAvailability;
import io.storagecontroller.model.NodeId;
import io.storagecontroller.model.NodeSchedulingPolicy;
import java.util.Arrays;
import java.util.List;
import java.util.Set;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

class NotExcludedTest {
  private final NotExcluded rule = new NotExcluded();

  private static SchedulerNode node(long id) {
    return new SchedulerNode(
        NodeId.of(id), null, NodeSchedulingPolicy.ACTIVE, NodeAvailability.ACTIVE, null);
  }

  private static ScheduleRequest excluding(long... ids) {
    return new ScheduleRequest(
        Arrays.stream(ids).mapToObj(NodeId::of).collect(Collectors.toSet()),
        null,
        new ScheduleContext());
  }

  @Test
  void refusesNodesTheShardAlreadyUses() {
    assertThat(rule.admits(node(1), excluding(1, 2))).isFalse();
    assertThat(rule.admits(node(3), excluding(1, 2))).isTrue();
    assertThat(rule.admits(node(1), new ScheduleRequest(Set.of(), null, new ScheduleContext())))
        .isTrue();
  }

  @Test
  void failureNamesTheExcludedNodes() {
    assertThat(rule.noneAdmitted(List.of(node(2), node(1)), excluding(1, 2)))
        .isInstanceOf(ScheduleException.ImpossibleConstraint.class)
        .hasMessage(
            "Scheduling error: No pageserver found matching constraint: every schedulable"
                + " pageserver (1, 2) is already used by this shard");
  }
}
