package io.storagecontroller.scheduler;

import io.storagecontroller.model.NodeId;
import java.util.Collection;
import java.util.stream.Collectors;

/** A shard never gets two locations on one node, so the nodes it already uses are off limits. */
final class NotExcluded implements HardConstraint {
  @Override
  public boolean admits(SchedulerNode node, ScheduleRequest request) {
    return !request.exclude().contains(node.id());
  }

  @Override
  public ScheduleException noneAdmitted(
      Collection<SchedulerNode> considered, ScheduleRequest request) {
    return new ScheduleException.ImpossibleConstraint(
        "every schedulable pageserver ("
            + considered.stream()
                .map(SchedulerNode::id)
                .sorted()
                .map(NodeId::toString)
                .collect(Collectors.joining(", "))
            + ") is already used by this shard");
  }
}
