package io.storagecontroller.drain;

import io.storagecontroller.activities.TaskQueues;
import io.storagecontroller.http.ApiError;
import io.storagecontroller.model.NodeAvailability;
import io.storagecontroller.model.NodeId;
import io.storagecontroller.model.NodeSchedulingPolicy;
import io.storagecontroller.node.Node;
import io.storagecontroller.node.NodeConfigureRequest;
import io.storagecontroller.node.NodeService;
import io.storagecontroller.operation.Operation;
import io.storagecontroller.operation.OperationPersistence;
import io.storagecontroller.persistence.SerializableTransactions;
import io.storagecontroller.tenant.ServiceState;
import io.storagecontroller.workflows.CancelSignal;
import io.storagecontroller.workflows.node.NodeRebalanceRequest;
import io.storagecontroller.workflows.node.NodeRebalanceWorkflow;
import io.temporal.api.enums.v1.WorkflowIdReusePolicy;
import io.temporal.client.WorkflowClient;
import io.temporal.client.WorkflowNotFoundException;
import io.temporal.client.WorkflowOptions;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Collectors;
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
  private final ServiceState state;
  private final OperationPersistence operations;
  private final SerializableTransactions transactions;
  private final WorkflowClient workflows;

  public NodeRebalances(
      NodeService nodes,
      ServiceState state,
      OperationPersistence operations,
      SerializableTransactions transactions,
      WorkflowClient workflows) {
    this.nodes = nodes;
    this.state = state;
    this.operations = operations;
    this.transactions = transactions;
    this.workflows = workflows;
  }

  /** Starts a drain or fill, with Neon's refusals in Neon's order; returns its operation. */
  public synchronized Operation start(String kind, NodeId id) {
    Node node = nodes.find(id).orElseThrow(() -> ApiError.notFound("Node " + id + " not found"));
    NodeSchedulingPolicy busy = policyOf(kind);
    if (node.scheduling() == busy) {
      throw ApiError.conflict("Node " + id + " is already " + verb(kind));
    }
    Optional<Node> ongoing =
        nodes.list().stream()
            .filter(
                n ->
                    n.scheduling() == NodeSchedulingPolicy.DRAINING
                        || n.scheduling() == NodeSchedulingPolicy.FILLING)
            .findFirst();
    if (ongoing.isPresent()) {
      throw ApiError.preconditionFailed(
          "Background operation already ongoing for node " + ongoing.get().id());
    }
    if (node.availability() != NodeAvailability.ACTIVE) {
      throw ApiError.unavailable("Node " + id + " is unavailable (" + node.availability() + ")");
    }
    boolean othersSchedulable =
        nodes.list().stream()
            .anyMatch(n -> !n.id().equals(id) && state.scheduler().mayScheduleOn(n.id()));
    if (!othersSchedulable) {
      throw ApiError.preconditionFailed("No other schedulable nodes to " + kind + " with");
    }
    if (node.scheduling() != NodeSchedulingPolicy.ACTIVE) {
      throw ApiError.preconditionFailed(
          "Node " + id + " must be Active to " + kind + ", it is " + node.scheduling());
    }
    nodes.configure(new NodeConfigureRequest(id, null, busy));
    String workflowId = NodeRebalanceWorkflow.workflowId(kind, id.value());
    long total = kind.equals(NodeRebalanceWorkflow.DRAIN) ? attachedTo(id) : fillRequirement(id);
    long operation =
        transactions.execute(
            "insert_operation", () -> operations.start(kind, target(id), workflowId, total));
    try {
      NodeRebalanceWorkflow workflow =
          workflows.newWorkflowStub(
              NodeRebalanceWorkflow.class,
              WorkflowOptions.newBuilder()
                  .setTaskQueue(TaskQueues.CONTROLLER)
                  .setWorkflowId(workflowId)
                  .setWorkflowIdReusePolicy(
                      WorkflowIdReusePolicy.WORKFLOW_ID_REUSE_POLICY_ALLOW_DUPLICATE)
                  .build());
      WorkflowClient.start(workflow::run, new NodeRebalanceRequest(kind, id.value(), operation));
    } catch (RuntimeException e) {
      finish(kind, id, operation, Operation.FAILED, "not started: " + e.getMessage());
      throw ApiError.unavailable("Could not start the " + kind + " of node " + id + ": " + e);
    }
    log.info("{} of node {} started: operation {}, {} shards", kind, id, operation, total);
    return transactions.execute("get_operation", () -> operations.find(operation)).orElseThrow();
  }

  /** Cancels the node's running drain or fill; the workflow leaves the node Active. */
  public synchronized void cancel(String kind, NodeId id) {
    Node node = nodes.find(id).orElseThrow(() -> ApiError.notFound("Node " + id + " not found"));
    if (node.scheduling() != policyOf(kind)) {
      throw ApiError.preconditionFailed(
          "Node " + id + " is not " + verb(kind) + " (it is " + node.scheduling() + ")");
    }
    Optional<Operation> running =
        transactions.execute("get_operation", () -> operations.running(kind, target(id)));
    try {
      workflows
          .newUntypedWorkflowStub(NodeRebalanceWorkflow.workflowId(kind, id.value()))
          .signal(CancelSignal.NAME);
      log.info("{} of node {}: cancel requested", kind, id);
    } catch (WorkflowNotFoundException gone) {
      finish(kind, id, running.map(Operation::id).orElse(0L), Operation.CANCELLED, null);
    }
  }

  /**
   * Ends a drain or fill: a drain that ran to the end leaves the node PauseForRestart, anything
   * else leaves it Active (unless a re-attach or an operator changed it meanwhile).
   */
  public void finish(String kind, NodeId id, long operation, String outcome, String error) {
    nodes
        .find(id)
        .filter(n -> n.scheduling() == policyOf(kind))
        .ifPresent(
            n -> {
              NodeSchedulingPolicy next =
                  kind.equals(NodeRebalanceWorkflow.DRAIN) && Operation.SUCCEEDED.equals(outcome)
                      ? NodeSchedulingPolicy.PAUSE_FOR_RESTART
                      : NodeSchedulingPolicy.ACTIVE;
              nodes.configure(new NodeConfigureRequest(id, null, next));
            });
    if (operation > 0) {
      transactions.run("update_operation", () -> operations.finish(operation, outcome, error));
    }
    log.info("{} of node {} {}{}", kind, id, outcome, error == null ? "" : ": " + error);
  }

  public static NodeSchedulingPolicy policyOf(String kind) {
    return kind.equals(NodeRebalanceWorkflow.DRAIN)
        ? NodeSchedulingPolicy.DRAINING
        : NodeSchedulingPolicy.FILLING;
  }

  public static String target(NodeId id) {
    return "node/" + id.value();
  }

  private static String verb(String kind) {
    return kind.equals(NodeRebalanceWorkflow.DRAIN) ? "draining" : "filling";
  }

  private long attachedTo(NodeId id) {
    return state.scheduler().node(id).map(n -> n.attachedShardCount()).orElse(0L);
  }

  private long fillRequirement(NodeId id) {
    Map<NodeId, Long> attached =
        nodes.list().stream()
            .filter(n -> n.id().equals(id) || state.scheduler().mayScheduleOn(n.id()))
            .collect(Collectors.toMap(Node::id, n -> attachedTo(n.id())));
    return FillPlanner.requirement(id, attached);
  }
}
