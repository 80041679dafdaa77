package io.storagecontroller.workflows.migration;

import io.storagecontroller.activities.TaskQueues;
import io.storagecontroller.activities.migration.MigrationRequest;
import io.storagecontroller.model.TenantShardId;
import io.storagecontroller.workflows.CancelSignal;
import io.temporal.workflow.ChildWorkflowOptions;
import io.temporal.workflow.SignalMethod;
import io.temporal.workflow.Workflow;
import io.temporal.workflow.WorkflowInterface;
import io.temporal.workflow.WorkflowMethod;

/**
 * Moves one shard's attachment to another node without a gap in service, id {@code
 * migrate/<tenant_shard_id>}: warm a secondary at the destination, step the origin down, attach the
 * destination with a new generation next to it, wait for it to catch up, tell computes, then demote
 * the origin and make the destination the single attachment. The attached intent already points at
 * the destination when it starts.
 */
@WorkflowInterface
public interface LiveMigrationWorkflow {
  static String workflowId(TenantShardId tenantShardId) {
    return "migrate/" + tenantShardId;
  }

  /** The stub of a migration run as a child (of a drain, a fill or an optimiser pass). */
  static LiveMigrationWorkflow child(TenantShardId tenantShardId) {
    return Workflow.newChildWorkflowStub(
        LiveMigrationWorkflow.class,
        ChildWorkflowOptions.newBuilder()
            .setWorkflowId(workflowId(tenantShardId))
            .setTaskQueue(TaskQueues.CONTROLLER)
            .build());
  }

  @WorkflowMethod
  MigrationOutcome migrate(MigrationRequest request);

  /**
   * Stops at the next step boundary: before the destination holds a generation the attachment goes
   * back to the origin; after, the migration completes (the origin's generation is already stale).
   */
  @SignalMethod(name = CancelSignal.NAME)
  void cancel();
}
