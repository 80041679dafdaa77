package io.storagecontroller.workflows.node;

import io.storagecontroller.model.NodeId;
import io.temporal.workflow.WorkflowInterface;
import io.temporal.workflow.WorkflowMethod;

/**
 * Moves every shard off a node that went offline, id {@code node/<node_id>/evacuate}: plan with the
 * scheduler, then reconcile in a bounded sliding window of batch activities (never a workflow per
 * shard).
 */
@WorkflowInterface
public interface NodeEvacuationWorkflow {
  static String workflowId(NodeId nodeId) {
    return "node/" + nodeId + "/evacuate";
  }

  @WorkflowMethod
  long evacuate(NodeId nodeId);
}
