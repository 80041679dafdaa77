package io.storagecontroller.scheduler;

/**
 * One component of a node's score, lower being better. A score is a list of terms compared in
 * order, so an earlier term always outranks every later one.
 */
interface ScoreTerm {
  long score(SchedulerNode node, ScheduleRequest request);
}
