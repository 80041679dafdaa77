package io.storagecontroller.scheduler;

/** The pageserver's reported load, raised locally for locations placed since its last report. */
final class UtilizationScore implements ScoreTerm {
  @Override
  public long score(SchedulerNode node, ScheduleRequest request) {
    return node.utilizationScore();
  }
}
