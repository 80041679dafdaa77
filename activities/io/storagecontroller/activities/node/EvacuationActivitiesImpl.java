package io.storagecontroller.activities.node;

import io.storagecontroller.activities.TaskQueues;
import io.storagecontroller.activities.reconcile.ReconcileActivitiesImpl;
import io.storagecontroller.failpoint.FailpointNames;
import io.storagecontroller.failpoint.Failpoints;
import io.storagecontroller.model.NodeAvailability;
import io.storagecontroller.model.NodeId;
import io.storagecontroller.model.TenantId;
import io.storagecontroller.model.TenantShardId;
import io.storagecontroller.node.Node;
import io.storagecontroller.node.NodeService;
import io.storagecontroller.operation.OperationPersistence;
import io.storagecontroller.persistence.SerializableTransactions;
import io.storagecontroller.scheduler.ScheduleContext;
import io.storagecontroller.scheduler.ScheduleException;
import io.storagecontroller.tenant.ServiceState;
import io.storagecontroller.tenant.TenantShard;
import io.storagecontroller.tenant.TenantShardPersistence;
import io.temporal.spring.boot.ActivityImpl;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.stereotype.Component;

/** Evacuation against this process's state: plan with the scheduler, reconcile in batches. */
@Component
@ActivityImpl(taskQueues = TaskQueues.CONTROLLER)
public class EvacuationActivitiesImpl implements EvacuationActivities {
  private static final Logger log = LoggerFactory.getLogger(EvacuationActivitiesImpl.class);

  private final ServiceState state;
  private final NodeService nodes;
  private final TenantShardPersistence shards;
  private final OperationPersistence operations;
  private final SerializableTransactions transactions;
  private final ReconcileActivitiesImpl reconciles;
  private final Failpoints failpoints;

  public EvacuationActivitiesImpl(
      ServiceState state,
      NodeService nodes,
      TenantShardPersistence shards,
      OperationPersistence operations,
      SerializableTransactions transactions,
      ReconcileActivitiesImpl reconciles,
      Failpoints failpoints) {
    this.state = state;
    this.nodes = nodes;
    this.shards = shards;
    this.operations = operations;
    this.transactions = transactions;
    this.reconciles = reconciles;
    this.failpoints = failpoints;
  }

  @Override
  public EvacuationPlan plan(long nodeId, String workflowId) {
    NodeId node = new NodeId(nodeId);
    Optional<Node> known = nodes.find(node);
    if (known.isEmpty() || known.get().availability() != NodeAvailability.OFFLINE) {
      log.info("node {} is no longer offline; nothing to evacuate", node);
      return new EvacuationPlan(0, List.of());
    }
    Set<TenantId> affected = new LinkedHashSet<>();
    synchronized (state) {
      // Neon's #8060: with nothing schedulable, rescheduling would empty every intent.
      if (!state.scheduler().hasSchedulableNode()) {
        log.warn("node {} is offline but no other node can take its shards; waiting", node);
        return new EvacuationPlan(0, List.of());
      }
      Map<TenantId, ScheduleContext> contexts = new HashMap<>();
      for (TenantShard shard : state.all()) {
        if (!node.equals(shard.intent().attached())) {
          continue;
        }
        TenantId tenant = shard.id().tenantId();
        ScheduleContext context = contexts.computeIfAbsent(tenant, this::contextOf);
        // Keep the possibly warm location as a secondary; the scheduler then promotes a usable
        // secondary or picks a fresh node.
        shard.intent().demoteAttached();
        try {
          shard.intent().schedule(shard.id(), shard.policy(), shard.schedulingPolicy(), context);
        } catch (ScheduleException e) {
          shard.intent().promoteSecondary(node);
          log.warn("{} stays on offline node {}: {}", shard.id(), node, e.getMessage());
          continue;
        }
        persistIntent(shard);
        affected.add(tenant);
      }
    }
    failpoints.hit(FailpointNames.EVACUATION_POST_PLAN);
    List<String> tenants = affected.stream().map(TenantId::toString).toList();
    long operation =
        transactions.execute(
            "insert_operation",
            () -> operations.start("evacuate", "node/" + nodeId, workflowId, tenants.size()));
    log.info(
        "evacuating node {}: {} tenants rescheduled (operation {})",
        node,
        tenants.size(),
        operation);
    return new EvacuationPlan(operation, tenants);
  }

  @Override
  public int reconcileBatch(long operationId, List<String> tenantIds) {
    failpoints.hit(FailpointNames.EVACUATION_PRE_BATCH);
    int done = 0;
    for (String tenantId : tenantIds) {
      TenantId tenant = TenantId.parse(tenantId);
      for (TenantShardId shard : state.dirtyShards(tenant, nodes.availableNodes())) {
        try {
          reconciles.reconcileShard(shard.toString());
        } catch (RuntimeException e) {
          log.warn(
              "evacuation reconcile of {} failed; the sweep retries it: {}", shard, e.getMessage());
        }
      }
      reconciles.notifyCompute(tenantId);
      done++;
    }
    int finished = done;
    transactions.run("update_operation", () -> operations.advance(operationId, finished));
    return done;
  }

  @Override
  public void finish(long operationId, long done) {
    failpoints.hit(FailpointNames.EVACUATION_PRE_FINISH);
    if (operationId > 0) {
      transactions.run("update_operation", () -> operations.finish(operationId, "succeeded", null));
    }
  }

  private ScheduleContext contextOf(TenantId tenant) {
    ScheduleContext context = new ScheduleContext();
    for (TenantShard shard : state.tenant(tenant)) {
      context.avoid(shard.intent().allNodes());
    }
    return context;
  }

  private void persistIntent(TenantShard shard) {
    NodeId attached = shard.intent().attached();
    List<NodeId> secondaries = new ArrayList<>(shard.intent().secondaries());
    transactions.run(
        "update_tenant_shard", () -> shards.updateIntent(shard.id(), attached, secondaries));
  }
}
