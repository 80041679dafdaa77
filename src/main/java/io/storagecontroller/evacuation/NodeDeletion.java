package io.storagecontroller.evacuation;

import io.storagecontroller.failpoint.FailpointNames;
import io.storagecontroller.failpoint.Failpoints;
import io.storagecontroller.model.NodeId;
import io.storagecontroller.model.NodeSchedulingPolicy;
import io.storagecontroller.model.ShardSchedulingPolicy;
import io.storagecontroller.model.StepFailure;
import io.storagecontroller.model.TenantId;
import io.storagecontroller.node.Node;
import io.storagecontroller.node.NodeConfigureRequest;
import io.storagecontroller.node.NodeService;
import io.storagecontroller.operation.Operation;
import io.storagecontroller.operation.OperationLog;
import io.storagecontroller.reconcile.ReconcileSlots;
import io.storagecontroller.scheduler.ScheduleContext;
import io.storagecontroller.scheduler.ScheduleException;
import io.storagecontroller.shard.ShardDraft;
import io.storagecontroller.shard.ShardStore;
import io.storagecontroller.shard.ShardView;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.stereotype.Component;

/**
 * Neon's graceful node deletion as the domain sees it: every shard with a location on the node
 * (attached or secondary) is rescheduled elsewhere with its tenant's context, its tenant reconciled
 * (which detaches the node's locations), then the node is tombstoned and forgotten. A shard whose
 * scheduling policy is Pause or Stop, or that no other node can take, stops the deletion rather
 * than being left pointing at a node that is gone.
 */
@Component
public class NodeDeletion {
  private static final Logger log = LoggerFactory.getLogger(NodeDeletion.class);

  public static final String KIND = "delete";

  private final ShardStore store;
  private final NodeService nodes;
  private final Evacuations evacuations;
  private final OperationLog operations;
  private final Failpoints failpoints;

  public NodeDeletion(
      ShardStore store,
      NodeService nodes,
      Evacuations evacuations,
      OperationLog operations,
      Failpoints failpoints) {
    this.store = store;
    this.nodes = nodes;
    this.evacuations = evacuations;
    this.operations = operations;
    this.failpoints = failpoints;
  }

  public static String target(NodeId node) {
    return "node/" + node.value();
  }

  /**
   * Moves every shard off the node in intent (persisted); returns the tenants to reconcile. The
   * node must still be Deleting (a cancel or re-attach ended the deletion otherwise).
   */
  public List<TenantId> reschedule(NodeId node) {
    requireDeleting(node);
    Set<TenantId> tenants = new LinkedHashSet<>();
    for (ShardView shard : store.all()) {
      if (shard.intendedNodes().contains(node)) {
        tenants.add(shard.id().tenantId());
      }
    }
    for (TenantId tenant : tenants) {
      store.change(
          tenant,
          "update_tenant_shard",
          edit -> {
            ScheduleContext context = new ScheduleContext();
            edit.shards().forEach(s -> context.avoid(s.intent().allNodes()));
            for (ShardDraft shard : edit.shards()) {
              if (shard.intent().allNodes().contains(node)) {
                moveOff(shard, node, context);
              }
            }
            return null;
          });
    }
    log.info("deletion of node {}: {} tenants rescheduled", node, tenants.size());
    return List.copyOf(tenants);
  }

  private static void moveOff(ShardDraft shard, NodeId node, ScheduleContext context) {
    ShardSchedulingPolicy policy = shard.schedulingPolicy();
    if (policy == ShardSchedulingPolicy.PAUSE || policy == ShardSchedulingPolicy.STOP) {
      throw StepFailure.fatal(
          "ShardPinned",
          "tenant shard "
              + shard.id()
              + " has scheduling policy "
              + policy
              + " and uses node "
              + node
              + "; set it Active or move it before deleting the node");
    }
    shard.intent().derefNode(node);
    try {
      shard.intent().schedule(shard.id(), shard.policy(), policy, context);
    } catch (ScheduleException e) {
      throw StepFailure.fatal("NoSchedulableNode", e.getMessage());
    }
  }

  /** Reconciles a batch of tenants and tells their computes; returns how many were reconciled. */
  public int reconcileBatch(long operationId, List<TenantId> tenants) {
    failpoints.hit(FailpointNames.NODE_DELETE_PRE_BATCH);
    int done = evacuations.reconcileSideBySide(tenants, ReconcileSlots.Priority.NORMAL);
    operations.advance(operationId, done);
    return done;
  }

  /**
   * Ends the deletion: when it succeeded and no intent uses the node any more, the node is
   * tombstoned and forgotten; otherwise it gets back the scheduling policy it had before.
   */
  public void finish(
      NodeId node, long operationId, String outcome, String error, NodeSchedulingPolicy before) {
    String state = outcome;
    String why = error;
    if (Operation.SUCCEEDED.equals(outcome)) {
      long left = store.all().stream().filter(s -> s.intendedNodes().contains(node)).count();
      if (left > 0) {
        state = Operation.FAILED;
        why = left + " shards were placed on node " + node + " meanwhile; delete it again";
      } else if (nodes.find(node).isPresent()) {
        store.forgetNode(node);
        nodes.tombstone(node);
        log.info("node {} deleted: tombstoned and forgotten", node);
      }
    }
    if (!Operation.SUCCEEDED.equals(state)) {
      restore(node, before);
    }
    if (operationId > 0) {
      operations.finish(operationId, state, why);
    }
  }

  /** A deletion that ended early gives the node back the policy it had. */
  public void restore(NodeId node, NodeSchedulingPolicy before) {
    nodes
        .find(node)
        .filter(n -> n.scheduling() == NodeSchedulingPolicy.DELETING)
        .ifPresent(n -> nodes.configure(new NodeConfigureRequest(node, null, before)));
  }

  private void requireDeleting(NodeId node) {
    Node current =
        nodes
            .find(node)
            .orElseThrow(
                () -> StepFailure.fatal("NodeStateChanged", "node " + node + " was deleted"));
    if (current.scheduling() != NodeSchedulingPolicy.DELETING) {
      throw StepFailure.fatal(
          "NodeStateChanged",
          "node " + node + " is no longer Deleting but " + current.scheduling());
    }
  }
}
