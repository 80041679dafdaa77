package io.storagecontroller.workflows.optimiser;

import io.storagecontroller.workflows.CancelSignal;
import io.temporal.workflow.SignalMethod;
import io.temporal.workflow.WorkflowInterface;
import io.temporal.workflow.WorkflowMethod;

/**
 * The background optimiser (Neon's {@code optimize_all}), id {@value #ID}: one long-running
 * workflow, started by the control loop and continued as new every few passes. Each pass plans from
 * memory, drops surplus secondaries and runs the planned live migrations (children {@code
 * migrate/<tenant_shard_id>}, at most {@link OptimiserWorkflowImpl#WINDOW} at once) under one
 * {@code optimise} operations row.
 */
@WorkflowInterface
public interface OptimiserWorkflow {
  String ID = "optimiser";

  @WorkflowMethod
  void run(OptimiserRequest request);

  /** Ends the current pass: its running migrations are asked to stop. Later passes still run. */
  @SignalMethod(name = CancelSignal.NAME)
  void cancel();

  /** Runs a pass now rather than at the end of the interval (an operator resumed it, say). */
  @SignalMethod
  void wake();
}
