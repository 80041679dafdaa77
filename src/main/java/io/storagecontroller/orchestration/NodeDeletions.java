package io.storagecontroller.orchestration;

import io.storagecontroller.evacuation.NodeDeletion;
import io.storagecontroller.model.NodeId;
import io.storagecontroller.model.NodeSchedulingPolicy;
import io.storagecontroller.model.Refusal;
import io.storagecontroller.model.StepFailure;
import io.storagecontroller.model.TenantId;
import io.storagecontroller.node.Node;
import io.storagecontroller.node.NodeConfigureRequest;
import io.storagecontroller.node.NodeService;
import io.storagecontroller.operation.Operation;
import io.storagecontroller.operation.OperationLog;
import io.storagecontroller.scheduler.Scheduler;
import io.storagecontroller.workflows.CancelSignal;
import io.storagecontroller.workflows.node.NodeDeletionRequest;
import io.storagecontroller.workflows.node.NodeDeletionWorkflow;
import io.temporal.client.WorkflowClient;
import io.temporal.client.WorkflowNotFoundException;
import java.util.List;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.stereotype.Service;

/**
 * Node deletion in Neon's two forms: the graceful one ({@code PUT /control/v1/node/:id/delete}, a
 * {@code delete} operation cancellable with {@code DELETE} on the same path) and the deprecated
 * synchronous one ({@code DELETE /control/v1/node/:id}, the same steps in the request). Both refuse
 * as Neon does: unknown node 404; another drain, fill or deletion running 412; already Deleting
 * 409; a policy other than Active or Pause 412; no other schedulable node 412.
 */
@Service
public class NodeDeletions implements OperationKind {
  private static final Logger log = LoggerFactory.getLogger(NodeDeletions.class);

  private final NodeService nodes;
  private final Scheduler scheduler;
  private final NodeDeletion deletion;
  private final OperationLog operations;
  private final WorkflowStubs stubs;
  private final WorkflowClient workflows;

  public NodeDeletions(
      NodeService nodes,
      Scheduler scheduler,
      NodeDeletion deletion,
      OperationLog operations,
      WorkflowStubs stubs) {
    this.nodes = nodes;
    this.scheduler = scheduler;
    this.deletion = deletion;
    this.operations = operations;
    this.stubs = stubs;
    this.workflows = stubs.client();
  }

  /** Starts a graceful deletion; returns its operation. */
  public synchronized Operation start(NodeId id, boolean force) {
    NodeSchedulingPolicy before = admit(id);
    String workflowId = NodeDeletionWorkflow.workflowId(id);
    long operation =
        operations.start(NodeDeletion.KIND, NodeDeletion.target(id), workflowId, 0, null);
    try {
      NodeDeletionWorkflow workflow =
          stubs.of(
              NodeDeletionWorkflow.class,
              workflowId,
              WorkflowTags.of(NodeDeletion.KIND).nodes(id).operation(operation));
      WorkflowClient.start(workflow::run, new NodeDeletionRequest(id, operation, before, force));
    } catch (RuntimeException e) {
      deletion.finish(id, operation, Operation.FAILED, "not started: " + e.getMessage(), before);
      throw Refusal.unavailable("Could not start the deletion of node " + id + ": " + e);
    }
    log.info("deletion of node {} started: operation {} (force {})", id, operation, force);
    return operations.find(operation).orElseThrow();
  }

  /** Cancels the node's running deletion; it gives the node back its policy. */
  public synchronized void cancel(NodeId id) {
    Node node = nodes.find(id).orElseThrow(() -> Refusal.notFound("Node " + id + " not found"));
    if (node.scheduling() != NodeSchedulingPolicy.DELETING) {
      throw Refusal.preconditionFailed(
          "Node " + id + " is not being deleted (it is " + node.scheduling() + ")");
    }
    try {
      workflows
          .newUntypedWorkflowStub(NodeDeletionWorkflow.workflowId(id))
          .signal(CancelSignal.NAME);
      log.info("deletion of node {}: cancel requested", id);
    } catch (WorkflowNotFoundException gone) {
      long operation =
          operations
              .running(NodeDeletion.KIND, NodeDeletion.target(id))
              .map(Operation::id)
              .orElse(0L);
      deletion.finish(id, operation, Operation.CANCELLED, null, NodeSchedulingPolicy.ACTIVE);
    }
  }

  /** The deprecated synchronous deletion: the same steps, done before answering. */
  public synchronized void deleteNow(NodeId id) {
    NodeSchedulingPolicy before = admit(id);
    try {
      List<TenantId> tenants = deletion.reschedule(id);
      deletion.reconcileBatch(0, tenants);
      deletion.finish(id, 0, Operation.SUCCEEDED, null, before);
    } catch (StepFailure e) {
      deletion.restore(id, before);
      throw Refusal.preconditionFailed("Node " + id + " cannot be deleted: " + e.getMessage());
    } catch (RuntimeException e) {
      deletion.restore(id, before);
      throw e;
    }
    if (nodes.find(id).isPresent()) {
      throw Refusal.conflict("Node " + id + " was given shards meanwhile; delete it again");
    }
  }

  /** Neon's refusals, in Neon's order; marks the node Deleting and returns its previous policy. */
  private NodeSchedulingPolicy admit(NodeId id) {
    Node node = nodes.find(id).orElseThrow(() -> Refusal.notFound("Node " + id + " not found"));
    Optional<Node> ongoing = nodes.inBackgroundOperation(id);
    if (ongoing.isPresent()) {
      throw Refusal.preconditionFailed(
          "Background operation already ongoing for node " + ongoing.get().id());
    }
    if (node.scheduling() == NodeSchedulingPolicy.DELETING) {
      throw Refusal.conflict("Node " + id + " is already being deleted");
    }
    if (node.scheduling() != NodeSchedulingPolicy.ACTIVE
        && node.scheduling() != NodeSchedulingPolicy.PAUSE) {
      throw Refusal.preconditionFailed(
          "Node " + id + " must be Active or Pause to be deleted, it is " + node.scheduling());
    }
    boolean othersSchedulable =
        nodes.list().stream().anyMatch(n -> !n.id().equals(id) && scheduler.mayScheduleOn(n.id()));
    if (!othersSchedulable) {
      throw Refusal.preconditionFailed(
          "No other schedulable nodes to move node " + id + "'s shards to");
    }
    nodes.configure(new NodeConfigureRequest(id, null, NodeSchedulingPolicy.DELETING));
    return node.scheduling();
  }

  @Override
  public String kind() {
    return NodeDeletion.KIND;
  }

  @Override
  public Operation retry(Operation previous) {
    NodeId id = NodeId.valueOf(previous.target().substring("node/".length()));
    return start(id, false);
  }

  /** A deletion whose workflow was lost: the node gets its policy back (Active), as a drain's. */
  @Override
  public void interrupted(Operation operation) {
    NodeId id = NodeId.valueOf(operation.target().substring("node/".length()));
    deletion.restore(id, NodeSchedulingPolicy.ACTIVE);
  }
}
