package io.storagecontroller.scheduler;

/** A yes/no rule on a candidate node; which nodes survive it is all it decides. */
interface NodeFilter {
  boolean admits(SchedulerNode node, ScheduleRequest request);
}
