package io.storagecontroller.workflows.startup;

import io.temporal.workflow.WorkflowInterface;
import io.temporal.workflow.WorkflowMethod;

/**
 * Start-up reconcile, id {@code startup/<boot id>}: scan every node concurrently under a deadline,
 * fix observed state, reconcile what differs, report ready, then notify computes in bounded batches
 * and clean up stray locations in the background.
 */
@WorkflowInterface
public interface StartupReconcileWorkflow {
  static String workflowId(String bootId) {
    return "startup/" + bootId;
  }

  @WorkflowMethod
  StartupSummary run(String bootId);
}
