package io.storagecontroller.orchestration;

import static org.assertj.core.api.Assertions.assertThat;

import io.storagecontroller.activities.TaskQueues;
import io.storagecontroller.workflows.node.NodeEvacuationWorkflow;
import io.temporal.client.WorkflowClient;
import io.temporal.client.WorkflowOptions;
import io.temporal.client.WorkflowStub;
import io.temporal.testing.TestWorkflowEnvironment;
import org.junit.jupiter.api.Test;

/** Evacuations start ahead of everything else; other workflows at Temporal's default priority. */
class WorkflowStubsTest {

  @Test
  void anUrgentStubStartsAtPriorityOneAndAnOrdinaryOneAtTheDefault() {
    try (TestWorkflowEnvironment env = TestWorkflowEnvironment.newInstance()) {
      WorkflowClient client = env.getWorkflowClient();
      WorkflowOptions urgent =
          WorkflowStub.fromTyped(
                  WorkflowStubs.urgent(client, NodeEvacuationWorkflow.class, "node/1/evacuate"))
              .getOptions()
              .orElseThrow();
      WorkflowOptions ordinary =
          WorkflowStub.fromTyped(
                  WorkflowStubs.of(client, NodeEvacuationWorkflow.class, "node/2/evacuate"))
              .getOptions()
              .orElseThrow();
      assertThat(urgent.getPriority().getPriorityKey()).isEqualTo(1);
      assertThat(urgent.getTaskQueue()).isEqualTo(TaskQueues.CONTROLLER);
      assertThat(ordinary.getPriority()).isNull();
      assertThat(ordinary.getWorkflowId()).isEqualTo("node/2/evacuate");
    }
  }
}
