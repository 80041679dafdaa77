package io.storagecontroller.orchestration;

import io.storagecontroller.model.NodeId;
import io.storagecontroller.node.NodeWentOffline;
import io.storagecontroller.workflows.node.NodeEvacuationWorkflow;
import io.temporal.client.WorkflowClient;
import io.temporal.client.WorkflowExecutionAlreadyStarted;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.context.event.EventListener;
import org.springframework.stereotype.Component;

/**
 * Starts {@code node/<id>/evacuate} when a node goes offline; one evacuation per node at a time.
 */
@Component
public class EvacuationTrigger {
  private static final Logger log = LoggerFactory.getLogger(EvacuationTrigger.class);

  private final WorkflowClient client;
  private final DirectEvacuation direct;

  public EvacuationTrigger(WorkflowClient client, DirectEvacuation direct) {
    this.client = client;
    this.direct = direct;
  }

  @EventListener
  public void onNodeOffline(NodeWentOffline event) {
    NodeId node = event.nodeId();
    if (direct.enabled()) {
      direct.start(node);
      return;
    }
    NodeEvacuationWorkflow workflow =
        WorkflowStubs.of(
            client, NodeEvacuationWorkflow.class, NodeEvacuationWorkflow.workflowId(node));
    try {
      WorkflowClient.start(workflow::evacuate, node);
      log.info("node {} went offline: evacuation started", node);
    } catch (WorkflowExecutionAlreadyStarted running) {
      log.info("node {} went offline: evacuation already running", node);
    }
  }
}
