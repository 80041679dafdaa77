package io.storagecontroller.workflows.reconcile;

import io.temporal.testing.WorkflowReplayer;
import java.io.File;
import org.junit.jupiter.api.Test;

/**
 * Replays committed histories against today's code: a change that would break running Reconcile
 * workflows (a different command sequence without Workflow.getVersion) fails here.
 */
class ReconcileWorkflowReplayTest {
  /** The controller replays it too, to warm its workflow code up (WorkflowWarmUp). */
  static final String LOCAL = "src/main/resources/warm-up/reconcile.json";

  @Test
  void twoShardReconcileWithLocalActivitiesReplays() throws Exception {
    WorkflowReplayer.replayWorkflowExecution(new File(LOCAL), ReconcileWorkflowImpl.class);
  }

  /** Recorded before the steps became local activities: such runs still complete as they began. */
  @Test
  void twoShardReconcileReplays() throws Exception {
    WorkflowReplayer.replayWorkflowExecution(
        new File("src/test/resources/histories/reconcile-two-shards.json"),
        ReconcileWorkflowImpl.class);
  }
}
