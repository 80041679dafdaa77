package io.storagecontroller.workflows.node;

import io.storagecontroller.model.NodeId;
import io.storagecontroller.workflows.CancelSignal;
import io.temporal.workflow.SignalMethod;
import io.temporal.workflow.WorkflowInterface;
import io.temporal.workflow.WorkflowMethod;

/**
 * Deletes a node gracefully (Neon's {@code PUT /control/v1/node/:id/delete}), id {@code
 * node/<id>/delete}: every shard moved off it in intent, the tenants reconciled in windows, then
 * the node tombstoned. A cancel stops between batches and gives the node back its policy.
 */
@WorkflowInterface
public interface NodeDeletionWorkflow {
  static String workflowId(NodeId nodeId) {
    return "node/" + nodeId + "/delete";
  }

  @WorkflowMethod
  void run(NodeDeletionRequest request);

  @SignalMethod(name = CancelSignal.NAME)
  void cancel();
}
