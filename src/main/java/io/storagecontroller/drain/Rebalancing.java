package io.storagecontroller.drain;

import io.storagecontroller.failpoint.FailpointNames;
import io.storagecontroller.failpoint.Failpoints;
import io.storagecontroller.migration.ShardMigrations;
import io.storagecontroller.model.NodeId;
import io.storagecontroller.model.NodeSchedulingPolicy;
import io.storagecontroller.model.PlacementPolicy;
import io.storagecontroller.model.ShardSchedulingPolicy;
import io.storagecontroller.model.StepFailure;
import io.storagecontroller.model.TenantId;
import io.storagecontroller.model.TenantShardId;
import io.storagecontroller.node.Node;
import io.storagecontroller.node.NodeConfigureRequest;
import io.storagecontroller.node.NodeService;
import io.storagecontroller.operation.Operation;
import io.storagecontroller.operation.OperationLog;
import io.storagecontroller.reconcile.ReconcileRequests;
import io.storagecontroller.reconcile.ShardReconciler;
import io.storagecontroller.shard.ShardDraft;
import io.storagecontroller.shard.ShardStore;
import io.storagecontroller.shard.ShardView;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.atomic.AtomicInteger;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.stereotype.Component;

/**
 * Drain and fill of a node for rolling restarts (Neon's RFC 033), as the domain sees them: plan the
 * moves with the planners, move the intents (holding each shard for the operation while it
 * migrates), and leave the node in its next scheduling policy when the operation ends: {@code
 * Active -> Draining -> PauseForRestart -> (restart) -> Active -> Filling -> Active}.
 */
@Component
public class Rebalancing {
  private static final Logger log = LoggerFactory.getLogger(Rebalancing.class);

  public static final String DRAIN = "drain";
  public static final String FILL = "fill";

  private final ShardStore store;
  private final NodeService nodes;
  private final ShardMigrations migrations;
  private final OperationLog operations;
  private final ReconcileRequests reconciles;
  private final Failpoints failpoints;
  private final SecondaryLag lag;
  private final ShardReconciler reconciler;

  public Rebalancing(
      ShardStore store,
      NodeService nodes,
      ShardMigrations migrations,
      OperationLog operations,
      ReconcileRequests reconciles,
      Failpoints failpoints,
      SecondaryLag lag,
      ShardReconciler reconciler) {
    this.lag = lag;
    this.reconciler = reconciler;
    this.store = store;
    this.nodes = nodes;
    this.migrations = migrations;
    this.operations = operations;
    this.reconciles = reconciles;
    this.failpoints = failpoints;
  }

  /** The migrations a window of moves begun, and how many moves needed none (a reconcile did). */
  public record Begun(List<ShardMigrations.Begun> migrations, int reconciled) {}

  /**
   * Up to {@code limit} shards to move, planned in one pass over the shards. Only the shards the
   * operation could move are handed to the planner: those attached to a draining node, or with a
   * secondary on a filling one (at 100,000 shards, building a placement for every shard at each of
   * a drain's rounds was an eighth of the controller's CPU while it drained 10,000).
   */
  public List<PlannedMove> plan(String kind, NodeId node, int limit) {
    requireStillRunning(kind, node);
    boolean drain = kind.equals(DRAIN);
    List<ShardPlacement> placements = new ArrayList<>();
    Map<TenantId, Integer> shardsPerTenant = new HashMap<>();
    store.forEach(
        shard -> {
          if (drain ? node.equals(shard.attached()) : shard.secondaries().contains(node)) {
            placements.add(placement(shard));
            shardsPerTenant.put(shard.id().tenantId(), shard.id().shardCount().count());
          }
        });
    Map<NodeId, Long> attached = attachedCounts(node);
    List<PlannedMove> moves;
    if (drain) {
      Set<NodeId> usable = new HashSet<>(attached.keySet());
      usable.remove(node);
      AtomicInteger skipped = new AtomicInteger();
      moves =
          DrainPlanner.plan(
              node,
              placements,
              usable,
              attached,
              limit,
              (shard, secondary) -> {
                boolean ok = lag.acceptable(shard, secondary);
                if (!ok) {
                  skipped.incrementAndGet();
                }
                return ok;
              });
      if (skipped.get() > 0) {
        reportSkipped(node, skipped.get());
      }
    } else {
      String az = store.scheduler().node(node).map(n -> n.az()).orElse(null);
      moves = FillPlanner.plan(node, az, placements, attached, shardsPerTenant, limit);
    }
    log.info("{} of node {}: {} moves planned", kind, node, moves.size());
    failpoints.hit(
        kind.equals(DRAIN) ? FailpointNames.DRAIN_POST_PLAN : FailpointNames.FILL_POST_PLAN);
    return moves;
  }

  /**
   * Moves the intents of these shards, each re-checked (a shard that moved or was taken by another
   * operation since the plan is skipped), holding the shards that migrate for {@code operationId}.
   * A shard this operation already holds at its destination (a lost earlier attempt of this step)
   * is begun again rather than skipped.
   */
  public Begun begin(String kind, NodeId node, long operationId, List<PlannedMove> moves) {
    boolean drain = kind.equals(DRAIN);
    failpoints.sleepy(drain ? FailpointNames.SLEEPY_DRAIN_LOOP : FailpointNames.SLEEPY_FILL_LOOP);
    requireStillRunning(kind, node);
    Map<TenantId, List<PlannedMove>> byTenant = new LinkedHashMap<>();
    moves.forEach(
        m -> byTenant.computeIfAbsent(m.shard().tenantId(), t -> new ArrayList<>()).add(m));
    // One transaction for the window: it is on the window's critical path, and a transaction per
    // tenant made it some 64 round trips long.
    Map<TenantId, List<ShardMigrations.Begun>> begunByTenant =
        store.changeEach(
            byTenant.keySet(),
            "update_tenant_shard",
            (tenant, edit) -> {
              List<ShardMigrations.Begun> out = new ArrayList<>();
              for (PlannedMove move : byTenant.get(tenant)) {
                edit.shard(move.shard())
                    .ifPresent(
                        shard -> {
                          if (heldAtDestination(shard, move.destination(), operationId)) {
                            out.add(resumed(shard, move.destination()));
                          } else if (stillPlanned(
                              shard.before(), node, move.destination(), drain)) {
                            out.add(
                                migrations.beginPlanned(shard, move.destination(), operationId));
                          }
                        });
              }
              return out;
            });
    List<ShardMigrations.Begun> migrating = new ArrayList<>();
    Set<TenantId> reconciled = new HashSet<>();
    begunByTenant.forEach(
        (tenant, begun) -> {
          for (ShardMigrations.Begun b : begun) {
            if (b.handsOver()) {
              migrating.add(b);
            } else {
              reconciled.add(tenant);
            }
          }
        });
    // Nothing attached to hand over: a plain reconcile attaches those at their destination.
    reconciled.forEach(reconciles::request);
    return new Begun(migrating, reconciled.size());
  }

  /**
   * Shards left on a draining node because their secondary lags: the drain goes on without them
   * (Neon's), and its operation's phase says how many the last plan skipped.
   */
  private void reportSkipped(NodeId node, int count) {
    String phase =
        count
            + " shards skipped: their secondary lags by over "
            + lag.maxBytes()
            + " bytes (--max-secondary-lag-bytes) or its lag is unknown";
    log.warn("drain of node {}: {}", node, phase);
    operations.running(DRAIN, target(node)).ifPresent(op -> operations.phase(op.id(), phase));
  }

  /**
   * A window of migrations ended: their shards are released in one transaction (a transaction per
   * move was a twentieth of a drain's CPU), a tenant left with work (a reverted or failed move)
   * gets a reconcile, and the operation counts {@code done} more shards moved.
   */
  public void advance(long operationId, long done, List<TenantShardId> shards) {
    if (!shards.isEmpty()) {
      migrations.endAll(shards, operationId);
      shards.stream()
          .map(TenantShardId::tenantId)
          .distinct()
          .filter(tenant -> !reconciler.dirtyShards(tenant).isEmpty())
          .forEach(reconciles::request);
    }
    operations.advance(operationId, done);
  }

  /**
   * Ends a drain or fill: a drain that ran to the end leaves the node PauseForRestart, anything
   * else leaves it Active (unless a re-attach or an operator changed it meanwhile).
   */
  public void finish(String kind, NodeId id, long operation, String outcome, String error) {
    failpoints.hit(FailpointNames.REBALANCE_PRE_FINISH);
    nodes
        .find(id)
        .filter(n -> n.scheduling() == policyOf(kind))
        .ifPresent(
            n -> {
              NodeSchedulingPolicy next =
                  kind.equals(DRAIN) && Operation.SUCCEEDED.equals(outcome)
                      ? NodeSchedulingPolicy.PAUSE_FOR_RESTART
                      : NodeSchedulingPolicy.ACTIVE;
              nodes.configure(new NodeConfigureRequest(id, null, next));
            });
    if (operation > 0) {
      operations.finish(operation, outcome, error);
    }
    log.info("{} of node {} {}{}", kind, id, outcome, error == null ? "" : ": " + error);
  }

  public static NodeSchedulingPolicy policyOf(String kind) {
    return kind.equals(DRAIN) ? NodeSchedulingPolicy.DRAINING : NodeSchedulingPolicy.FILLING;
  }

  public static String target(NodeId id) {
    return "node/" + id.value();
  }

  /** Attached counts of the nodes that may take attachments, plus the operated node. */
  public Map<NodeId, Long> attachedCounts(NodeId operated) {
    Map<NodeId, Long> attached = new HashMap<>();
    for (Node n : nodes.list()) {
      if (n.id().equals(operated) || store.scheduler().mayScheduleOn(n.id())) {
        attached.put(
            n.id(), store.scheduler().node(n.id()).map(s -> s.attachedShardCount()).orElse(0L));
      }
    }
    return attached;
  }

  /** The plan may be stale by now: the shard must still be where it was and the move still sane. */
  private boolean stillPlanned(ShardView shard, NodeId node, NodeId destination, boolean drain) {
    if (!placement(shard).movable()
        || !shard.secondaries().contains(destination)
        || !store.scheduler().mayScheduleOn(destination)) {
      return false;
    }
    NodeId attached = shard.attached();
    return drain ? node.equals(attached) : attached != null && !node.equals(attached);
  }

  private static boolean heldAtDestination(ShardDraft shard, NodeId destination, long operationId) {
    return Long.valueOf(operationId).equals(shard.heldBy())
        && destination.equals(shard.intent().attached());
  }

  /**
   * A move this operation began before: hand over from whoever holds the newest generation, or,
   * when that is the destination already, release the shard to the reconciler.
   */
  private static ShardMigrations.Begun resumed(ShardDraft shard, NodeId destination) {
    NodeId origin = shard.before().generationPageserver();
    if (origin == null || destination.equals(origin)) {
      shard.release();
      return new ShardMigrations.Begun(shard.id(), null, destination);
    }
    return new ShardMigrations.Begun(shard.id(), origin, destination);
  }

  private static ShardPlacement placement(ShardView shard) {
    boolean movable =
        !shard.held()
            && !shard.splitting()
            && shard.policy() instanceof PlacementPolicy.Attached
            && (shard.schedulingPolicy() == ShardSchedulingPolicy.ACTIVE
                || shard.schedulingPolicy() == ShardSchedulingPolicy.ESSENTIAL);
    return new ShardPlacement(
        shard.id(), shard.attached(), shard.secondaries(), movable, shard.preferredAz());
  }

  private void requireStillRunning(String kind, NodeId node) {
    Node current =
        nodes
            .find(node)
            .orElseThrow(
                () -> StepFailure.fatal("NodeStateChanged", "node " + node + " was deleted"));
    if (current.scheduling() != policyOf(kind)) {
      throw StepFailure.fatal(
          "NodeStateChanged",
          "node " + node + " is no longer " + policyOf(kind) + " but " + current.scheduling());
    }
  }
}
