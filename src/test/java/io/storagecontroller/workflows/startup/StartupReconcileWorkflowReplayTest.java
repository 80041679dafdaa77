package io.storagecontroller.workflows.startup;

import io.temporal.testing.WorkflowReplayer;
import java.io.File;
import org.junit.jupiter.api.Test;

/** Replays committed start-up histories against today's code. */
class StartupReconcileWorkflowReplayTest {
  @Test
  void threeNodeStartupWithLocalActivitiesReplays() throws Exception {
    WorkflowReplayer.replayWorkflowExecution(
        new File(StartupReconcileWorkflowTest.LOCAL_HISTORY), StartupReconcileWorkflowImpl.class);
  }

  /** Recorded before the steps until ready became local activities: such runs still complete. */
  @Test
  void threeNodeStartupReplays() throws Exception {
    WorkflowReplayer.replayWorkflowExecution(
        new File("src/test/resources/histories/startup-three-nodes.json"),
        StartupReconcileWorkflowImpl.class);
  }
}
