package io.storagecontroller.activities.rebalance;

import io.storagecontroller.activities.TaskQueues;
import io.storagecontroller.drain.DrainPlanner;
import io.storagecontroller.drain.FillPlanner;
import io.storagecontroller.drain.NodeRebalances;
import io.storagecontroller.drain.PlannedMove;
import io.storagecontroller.drain.ShardPlacement;
import io.storagecontroller.failpoint.FailpointNames;
import io.storagecontroller.failpoint.Failpoints;
import io.storagecontroller.model.NodeId;
import io.storagecontroller.model.PlacementPolicy;
import io.storagecontroller.model.ShardSchedulingPolicy;
import io.storagecontroller.model.TenantId;
import io.storagecontroller.model.TenantShardId;
import io.storagecontroller.node.Node;
import io.storagecontroller.node.NodeService;
import io.storagecontroller.operation.OperationPersistence;
import io.storagecontroller.persistence.SerializableTransactions;
import io.storagecontroller.reconcile.ReconcileTrigger;
import io.storagecontroller.tenant.ServiceState;
import io.storagecontroller.tenant.ShardMigrations;
import io.storagecontroller.tenant.TenantShard;
import io.storagecontroller.workflows.migration.MigrationRequest;
import io.storagecontroller.workflows.node.NodeRebalanceWorkflow;
import io.temporal.failure.ApplicationFailure;
import io.temporal.spring.boot.ActivityImpl;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.stereotype.Component;

/** Drain and fill against this process's state: plan with the planners, begin migrations. */
@Component
@ActivityImpl(taskQueues = TaskQueues.CONTROLLER)
public class RebalanceActivitiesImpl implements RebalanceActivities {
  private static final Logger log = LoggerFactory.getLogger(RebalanceActivitiesImpl.class);

  /** Neon's shorter warm-up bounds for drain and fill: 30 s in total, 5 s per request. */
  static final Duration WARMUP = Duration.ofSeconds(30);

  static final Duration WARMUP_REQUEST = Duration.ofSeconds(5);

  private final ServiceState state;
  private final NodeService nodes;
  private final ShardMigrations migrations;
  private final ReconcileTrigger reconciles;
  private final NodeRebalances rebalances;
  private final OperationPersistence operations;
  private final SerializableTransactions transactions;
  private final Failpoints failpoints;

  public RebalanceActivitiesImpl(
      ServiceState state,
      NodeService nodes,
      ShardMigrations migrations,
      ReconcileTrigger reconciles,
      NodeRebalances rebalances,
      OperationPersistence operations,
      SerializableTransactions transactions,
      Failpoints failpoints) {
    this.state = state;
    this.nodes = nodes;
    this.migrations = migrations;
    this.reconciles = reconciles;
    this.rebalances = rebalances;
    this.operations = operations;
    this.transactions = transactions;
    this.failpoints = failpoints;
  }

  @Override
  public List<RebalanceMove> plan(String kind, long nodeId, int limit) {
    NodeId node = requireStillRunning(kind, nodeId);
    List<PlannedMove> moves;
    synchronized (state) {
      List<ShardPlacement> placements = new ArrayList<>(state.size());
      Map<TenantId, Integer> shardsPerTenant = new HashMap<>();
      for (TenantShard shard : state.all()) {
        placements.add(placement(shard));
        shardsPerTenant.put(shard.id().tenantId(), shard.id().shardCount().count());
      }
      Map<NodeId, Long> attached = attachedCounts(node);
      if (kind.equals(NodeRebalanceWorkflow.DRAIN)) {
        Set<NodeId> usable = new HashSet<>(attached.keySet());
        usable.remove(node);
        moves = DrainPlanner.plan(node, placements, usable, attached, limit);
      } else {
        moves = FillPlanner.plan(node, placements, attached, shardsPerTenant, limit);
      }
    }
    log.info("{} of node {}: {} moves planned", kind, node, moves.size());
    failpoints.hit(
        kind.equals(NodeRebalanceWorkflow.DRAIN)
            ? FailpointNames.DRAIN_POST_PLAN
            : FailpointNames.FILL_POST_PLAN);
    return moves.stream()
        .map(m -> new RebalanceMove(m.shard().toString(), m.destination().value()))
        .toList();
  }

  @Override
  public BegunMoves begin(String kind, long nodeId, long operationId, List<RebalanceMove> moves) {
    boolean drain = kind.equals(NodeRebalanceWorkflow.DRAIN);
    failpoints.sleepy(drain ? FailpointNames.SLEEPY_DRAIN_LOOP : FailpointNames.SLEEPY_FILL_LOOP);
    NodeId node = requireStillRunning(kind, nodeId);
    List<MigrationRequest> requests = new ArrayList<>();
    Set<TenantId> toReconcile = new LinkedHashSet<>();
    synchronized (state) {
      for (RebalanceMove move : moves) {
        TenantShardId id = TenantShardId.parse(move.tenantShardId());
        NodeId destination = new NodeId(move.destination());
        Optional<TenantShard> found = state.shard(id);
        if (found.isEmpty() || !stillPlanned(found.get(), node, destination, drain)) {
          continue;
        }
        ShardMigrations.Begun begun = migrations.beginPlanned(found.get(), destination);
        if (begun.origin() == null) {
          toReconcile.add(id.tenantId());
        } else {
          requests.add(
              new MigrationRequest(
                  id.toString(),
                  begun.origin().value(),
                  destination.value(),
                  0,
                  true,
                  WARMUP,
                  WARMUP_REQUEST));
        }
      }
    }
    toReconcile.forEach(reconciles::request);
    return new BegunMoves(requests, toReconcile.size());
  }

  @Override
  public void advance(long operationId, long done) {
    if (done > 0) {
      transactions.run("update_operation", () -> operations.advance(operationId, done));
    }
  }

  @Override
  public void finish(String kind, long nodeId, long operationId, String outcome, String error) {
    failpoints.hit(FailpointNames.REBALANCE_PRE_FINISH);
    rebalances.finish(kind, new NodeId(nodeId), operationId, outcome, error);
  }

  /** The plan may be stale by now: the shard must still be where it was and the move still sane. */
  private boolean stillPlanned(TenantShard shard, NodeId node, NodeId destination, boolean drain) {
    if (!placement(shard).movable()
        || !shard.intent().secondaries().contains(destination)
        || !state.scheduler().mayScheduleOn(destination)) {
      return false;
    }
    NodeId attached = shard.intent().attached();
    return drain ? node.equals(attached) : attached != null && !node.equals(attached);
  }

  private static ShardPlacement placement(TenantShard shard) {
    boolean movable =
        !shard.migrating()
            && !shard.splitting()
            && shard.policy() instanceof PlacementPolicy.Attached
            && (shard.schedulingPolicy() == ShardSchedulingPolicy.ACTIVE
                || shard.schedulingPolicy() == ShardSchedulingPolicy.ESSENTIAL);
    return new ShardPlacement(
        shard.id(), shard.intent().attached(), List.copyOf(shard.intent().secondaries()), movable);
  }

  /** Attached counts of the nodes that may take attachments, plus the operated node. */
  private Map<NodeId, Long> attachedCounts(NodeId operated) {
    Map<NodeId, Long> attached = new HashMap<>();
    for (Node n : nodes.list()) {
      if (n.id().equals(operated) || state.scheduler().mayScheduleOn(n.id())) {
        attached.put(
            n.id(), state.scheduler().node(n.id()).map(s -> s.attachedShardCount()).orElse(0L));
      }
    }
    return attached;
  }

  private NodeId requireStillRunning(String kind, long nodeId) {
    NodeId node = new NodeId(nodeId);
    Node current =
        nodes
            .find(node)
            .orElseThrow(
                () ->
                    ApplicationFailure.newNonRetryableFailure(
                        "node " + node + " was deleted", "NodeStateChanged"));
    if (current.scheduling() != NodeRebalances.policyOf(kind)) {
      throw ApplicationFailure.newNonRetryableFailure(
          "node "
              + node
              + " is no longer "
              + NodeRebalances.policyOf(kind)
              + " but "
              + current.scheduling(),
          "NodeStateChanged");
    }
    return node;
  }
}
