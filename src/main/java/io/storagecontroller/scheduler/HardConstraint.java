package io.storagecontroller.scheduler;

import java.util.Collection;

/** A filter that must hold: when it leaves no node, scheduling fails and says why. */
interface HardConstraint extends NodeFilter {
  /** The failure to report when none of {@code considered} passes. */
  ScheduleException noneAdmitted(Collection<SchedulerNode> considered, ScheduleRequest request);
}
