package io.storagecontroller.orchestration;

import io.storagecontroller.drain.FillPlanner;
import io.storagecontroller.drain.Rebalancing;
import io.storagecontroller.model.NodeAvailability;
import io.storagecontroller.model.NodeId;
import io.storagecontroller.model.NodeSchedulingPolicy;
import io.storagecontroller.model.Refusal;
import io.storagecontroller.node.Node;
import io.storagecontroller.node.NodeConfigureRequest;
import io.storagecontroller.node.NodeService;
import io.storagecontroller.operation.Operation;
import io.storagecontroller.operation.OperationLog;
import io.storagecontroller.scheduler.Scheduler;
import io.storagecontroller.workflows.CancelSignal;
import io.storagecontroller.workflows.node.NodeRebalanceRequest;
import io.storagecontroller.workflows.node.NodeRebalanceWorkflow;
import io.temporal.client.WorkflowClient;
import io.temporal.client.WorkflowNotFoundException;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.stereotype.Service;

/**
 * Drain and fill of nodes for rolling restarts (Neon's RFC 033): starting one (at most one at a
 * time across the cluster), cancelling it, and the node's scheduling policy at each end: {@code
 * Active -> Draining -> PauseForRestart -> (restart) -> Active -> Filling -> Active}.
 */
@Service
public class NodeRebalances {
  private static final Logger log = LoggerFactory.getLogger(NodeRebalances.class);

  private final NodeService nodes;
  private final Scheduler scheduler;
  private final Rebalancing rebalancing;
  private final OperationLog operations;
  private final WorkflowStubs stubs;
  private final WorkflowClient workflows;

  public NodeRebalances(
      NodeService nodes,
      Scheduler scheduler,
      Rebalancing rebalancing,
      OperationLog operations,
      WorkflowStubs stubs) {
    this.nodes = nodes;
    this.scheduler = scheduler;
    this.rebalancing = rebalancing;
    this.operations = operations;
    this.stubs = stubs;
    this.workflows = stubs.client();
  }

  /** Starts a drain or fill, with Neon's refusals in Neon's order; returns its operation. */
  public synchronized Operation start(String kind, NodeId id) {
    Node node = nodes.find(id).orElseThrow(() -> Refusal.notFound("Node " + id + " not found"));
    NodeSchedulingPolicy busy = policyOf(kind);
    if (node.scheduling() == busy) {
      throw Refusal.conflict("Node " + id + " is already " + verb(kind));
    }
    Optional<Node> ongoing = nodes.inBackgroundOperation(null);
    if (ongoing.isPresent()) {
      throw Refusal.preconditionFailed(
          "Background operation already ongoing for node " + ongoing.get().id());
    }
    if (node.availability() != NodeAvailability.ACTIVE) {
      throw Refusal.unavailable("Node " + id + " is unavailable (" + node.availability() + ")");
    }
    boolean othersSchedulable =
        nodes.list().stream().anyMatch(n -> !n.id().equals(id) && scheduler.mayScheduleOn(n.id()));
    if (!othersSchedulable) {
      throw Refusal.preconditionFailed("No other schedulable nodes to " + kind + " with");
    }
    if (node.scheduling() != NodeSchedulingPolicy.ACTIVE) {
      throw Refusal.preconditionFailed(
          "Node " + id + " must be Active to " + kind + ", it is " + node.scheduling());
    }
    nodes.configure(new NodeConfigureRequest(id, null, busy));
    String workflowId = NodeRebalanceWorkflow.workflowId(kind, id);
    long total = kind.equals(NodeRebalanceWorkflow.DRAIN) ? attachedTo(id) : fillRequirement(id);
    long operation = operations.start(kind, target(id), workflowId, total, null);
    try {
      NodeRebalanceWorkflow workflow =
          stubs.of(
              NodeRebalanceWorkflow.class,
              workflowId,
              WorkflowTags.of(kind).nodes(id).operation(operation));
      WorkflowClient.start(workflow::run, new NodeRebalanceRequest(kind, id, operation));
    } catch (RuntimeException e) {
      rebalancing.finish(kind, id, operation, Operation.FAILED, "not started: " + e.getMessage());
      throw Refusal.unavailable("Could not start the " + kind + " of node " + id + ": " + e);
    }
    log.info("{} of node {} started: operation {}, {} shards", kind, id, operation, total);
    return operations.find(operation).orElseThrow();
  }

  /** Cancels the node's running drain or fill; the workflow leaves the node Active. */
  public synchronized void cancel(String kind, NodeId id) {
    Node node = nodes.find(id).orElseThrow(() -> Refusal.notFound("Node " + id + " not found"));
    if (node.scheduling() != policyOf(kind)) {
      throw Refusal.preconditionFailed(
          "Node " + id + " is not " + verb(kind) + " (it is " + node.scheduling() + ")");
    }
    Optional<Operation> running = operations.running(kind, target(id));
    try {
      workflows
          .newUntypedWorkflowStub(NodeRebalanceWorkflow.workflowId(kind, id))
          .signal(CancelSignal.NAME);
      log.info("{} of node {}: cancel requested", kind, id);
    } catch (WorkflowNotFoundException gone) {
      rebalancing.finish(
          kind, id, running.map(Operation::id).orElse(0L), Operation.CANCELLED, null);
    }
  }

  private static NodeSchedulingPolicy policyOf(String kind) {
    return Rebalancing.policyOf(kind);
  }

  private static String target(NodeId id) {
    return Rebalancing.target(id);
  }

  private static String verb(String kind) {
    return kind.equals(NodeRebalanceWorkflow.DRAIN) ? "draining" : "filling";
  }

  private long attachedTo(NodeId id) {
    return scheduler.node(id).map(n -> n.attachedShardCount()).orElse(0L);
  }

  private long fillRequirement(NodeId id) {
    return FillPlanner.requirement(id, rebalancing.attachedCounts(id));
  }
}
