package io.storagecontroller.scheduler;

/** The last tie-break, so that equal nodes are chosen the same way every time. */
final class LowestNodeId implements ScoreTerm {
  @Override
  public long score(SchedulerNode node, ScheduleRequest request) {
    return node.id().value();
  }
}
