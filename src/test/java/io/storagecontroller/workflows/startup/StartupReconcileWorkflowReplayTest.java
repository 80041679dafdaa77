package io.storagecontroller.workflows.startup;

import io.temporal.testing.WorkflowReplayer;
import java.io.File;
import org.junit.jupiter.api.Test;

/** Replays a committed start-up history against today's code. */
class StartupReconcileWorkflowReplayTest {
  @Test
  void threeNodeStartupReplays() throws Exception {
    WorkflowReplayer.replayWorkflowExecution(
        new File("src/test/resources/histories/startup-three-nodes.json"),
        StartupReconcileWorkflowImpl.class);
  }
}
