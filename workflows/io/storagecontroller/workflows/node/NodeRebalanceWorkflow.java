package io.storagecontroller.workflows.node;

import io.storagecontroller.model.NodeId;
import io.storagecontroller.workflows.CancelSignal;
import io.temporal.workflow.SignalMethod;
import io.temporal.workflow.WorkflowInterface;
import io.temporal.workflow.WorkflowMethod;

/**
 * Drains a node before a restart, or fills it back afterwards, by live migration: ids {@code
 * node/<id>/drain} and {@code node/<id>/fill}. At most {@link NodeRebalanceWorkflowImpl#WINDOW}
 * migrations run at once, each a child {@code migrate/<tenant_shard_id>} workflow.
 */
@WorkflowInterface
public interface NodeRebalanceWorkflow {
  String DRAIN = "drain";
  String FILL = "fill";

  static String workflowId(String kind, NodeId nodeId) {
    return "node/" + nodeId + "/" + kind;
  }

  @WorkflowMethod
  void run(NodeRebalanceRequest request);

  /** Stops planning, asks running migrations to stop, and leaves the node Active. */
  @SignalMethod(name = CancelSignal.NAME)
  void cancel();
}
