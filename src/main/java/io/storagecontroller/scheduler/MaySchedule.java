package io.storagecontroller.scheduler;

import io.storagecontroller.model.NodeAvailability;
import java.util.Collection;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Collectors;

/** Only active nodes whose scheduling policy is Active or Filling take new locations. */
final class MaySchedule implements HardConstraint {
  @Override
  public boolean admits(SchedulerNode node, ScheduleRequest request) {
    return node.maySchedule();
  }

  @Override
  public ScheduleException noneAdmitted(
      Collection<SchedulerNode> considered, ScheduleRequest request) {
    if (considered.isEmpty()) {
      return new ScheduleException.NoPageservers("none registered");
    }
    // Availability is the reason when it is not Active, else the scheduling policy is.
    Map<String, Long> reasons =
        considered.stream()
            .map(
                n ->
                    n.availability() != NodeAvailability.ACTIVE
                        ? n.availability().jsonName()
                        : n.scheduling().jsonName())
            .collect(Collectors.groupingBy(r -> r, TreeMap::new, Collectors.counting()));
    return new ScheduleException.NoPageservers(
        considered.size()
            + " registered, none schedulable ("
            + reasons.entrySet().stream()
                .map(e -> e.getKey() + ": " + e.getValue())
                .collect(Collectors.joining(", "))
            + ")");
  }
}
