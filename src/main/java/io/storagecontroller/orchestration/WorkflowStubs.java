package io.storagecontroller.orchestration;

import io.storagecontroller.activities.TaskQueues;
import io.temporal.api.enums.v1.WorkflowIdReusePolicy;
import io.temporal.client.WorkflowClient;
import io.temporal.client.WorkflowOptions;
import io.temporal.common.Priority;

/**
 * A stub to start one of the controller's workflows: on its task queue, under a stable id that a
 * finished run may be followed by another of (never two runs of one id at once).
 */
final class WorkflowStubs {
  /**
   * Temporal's priority keys run from 1 (first) to 5; unset is 3. A node failure's evacuation takes
   * 1, as Neon's priority reconcilers do: after a failure hundreds of reconciles queue up and the
   * evacuation, which gets the dead node's shards attached again, must not wait behind them.
   */
  private static final Priority URGENT = Priority.newBuilder().setPriorityKey(1).build();

  private WorkflowStubs() {}

  static <T> T of(WorkflowClient client, Class<T> workflow, String workflowId) {
    return client.newWorkflowStub(workflow, options(workflowId).build());
  }

  /** As {@link #of}, with its workflow and activity tasks served before every other. */
  static <T> T urgent(WorkflowClient client, Class<T> workflow, String workflowId) {
    return client.newWorkflowStub(workflow, options(workflowId).setPriority(URGENT).build());
  }

  private static WorkflowOptions.Builder options(String workflowId) {
    return WorkflowOptions.newBuilder()
        .setTaskQueue(TaskQueues.CONTROLLER)
        .setWorkflowId(workflowId)
        .setWorkflowIdReusePolicy(WorkflowIdReusePolicy.WORKFLOW_ID_REUSE_POLICY_ALLOW_DUPLICATE);
  }
}
