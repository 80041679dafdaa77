package io.storagecontroller.orchestration;

import io.storagecontroller.activities.TaskQueues;
import io.temporal.api.enums.v1.WorkflowIdReusePolicy;
import io.temporal.client.WorkflowClient;
import io.temporal.client.WorkflowOptions;

/**
 * A stub to start one of the controller's workflows: on its task queue, under a stable id that a
 * finished run may be followed by another of (never two runs of one id at once).
 */
final class WorkflowStubs {
  private WorkflowStubs() {}

  static <T> T of(WorkflowClient client, Class<T> workflow, String workflowId) {
    return client.newWorkflowStub(
        workflow,
        WorkflowOptions.newBuilder()
            .setTaskQueue(TaskQueues.CONTROLLER)
            .setWorkflowId(workflowId)
            .setWorkflowIdReusePolicy(
                WorkflowIdReusePolicy.WORKFLOW_ID_REUSE_POLICY_ALLOW_DUPLICATE)
            .build());
  }
}
