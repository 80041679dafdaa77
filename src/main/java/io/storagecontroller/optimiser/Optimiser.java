package io.storagecontroller.optimiser;

import io.storagecontroller.evacuation.Evacuations;
import io.storagecontroller.migration.ShardMigrations;
import io.storagecontroller.model.NodeId;
import io.storagecontroller.model.PlacementPolicy;
import io.storagecontroller.model.ShardSchedulingPolicy;
import io.storagecontroller.model.TenantId;
import io.storagecontroller.node.Node;
import io.storagecontroller.node.NodeService;
import io.storagecontroller.operation.Operation;
import io.storagecontroller.operation.OperationLog;
import io.storagecontroller.optimiser.Optimisation.MigrateAttachment;
import io.storagecontroller.optimiser.Optimisation.RemoveSecondary;
import io.storagecontroller.pageserver.LocationConfig;
import io.storagecontroller.persistence.SerializableTransactions;
import io.storagecontroller.reconcile.ReconcileRequests;
import io.storagecontroller.scheduler.SchedulerNodeState;
import io.storagecontroller.scheduler.Utilization;
import io.storagecontroller.shard.ShardDraft;
import io.storagecontroller.shard.ShardStore;
import io.storagecontroller.shard.ShardView;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.stereotype.Component;

/**
 * The background optimiser as the domain sees it (Neon's {@code optimize_all}): plan a pass from
 * memory, drop surplus secondaries, move the intents of the planned migrations (each re-checked,
 * holding the shard for the pass's operation while it migrates) and close the pass. It stands aside
 * while an operator has paused it, while a node drains, fills, waits for its restart or is deleted,
 * and while an evacuation runs: it never fights those operations. Splitting and held shards are
 * never planned.
 */
@Component
public class Optimiser {
  private static final Logger log = LoggerFactory.getLogger(Optimiser.class);

  public static final String KIND = "optimise";
  public static final String TARGET = "fleet";

  private final ShardStore store;
  private final NodeService nodes;
  private final ShardMigrations migrations;
  private final OperationLog operations;
  private final ReconcileRequests reconciles;
  private final OptimiserPersistence settings;
  private final SerializableTransactions transactions;
  private final OptimiserMetrics metrics;

  public Optimiser(
      ShardStore store,
      NodeService nodes,
      ShardMigrations migrations,
      OperationLog operations,
      ReconcileRequests reconciles,
      OptimiserPersistence settings,
      SerializableTransactions transactions,
      OptimiserMetrics metrics) {
    this.store = store;
    this.nodes = nodes;
    this.migrations = migrations;
    this.operations = operations;
    this.reconciles = reconciles;
    this.settings = settings;
    this.transactions = transactions;
    this.metrics = metrics;
  }

  public boolean paused() {
    boolean paused = transactions.execute("get_optimiser", settings::paused);
    metrics.paused(paused);
    return paused;
  }

  /** Pauses or resumes; a pause lets migrations already begun finish but plans nothing more. */
  public void setPaused(boolean paused) {
    transactions.run("update_optimiser", () -> settings.setPaused(paused));
    metrics.paused(paused);
    log.info("optimiser {} by an operator", paused ? "paused" : "resumed");
  }

  /** Why a pass would plan nothing now, or null when it may look at the fleet. */
  public String idleBecause() {
    if (paused()) {
      return "paused by an operator";
    }
    for (Node node : nodes.list()) {
      switch (node.scheduling()) {
        case DRAINING, FILLING, PAUSE_FOR_RESTART, DELETING -> {
          return "node " + node.id() + " is " + node.scheduling();
        }
        default -> {}
      }
    }
    for (Operation operation : operations.running()) {
      if (Evacuations.KIND.equals(operation.kind())) {
        return "an evacuation of " + operation.target() + " is running";
      }
    }
    return null;
  }

  /** Plans a pass of at most {@code limit} migrations, in one pass over the shards. */
  public OptimiserPlan plan(int limit) {
    String idle = idleBecause();
    if (idle != null) {
      log.debug("optimiser pass skipped: {}", idle);
      return OptimiserPlan.idle(idle);
    }
    List<NodeLoad> loads = new ArrayList<>();
    for (Node node : nodes.list()) {
      store.scheduler().node(node.id()).ifPresent(s -> loads.add(load(s)));
    }
    List<ShardPlace> places = new ArrayList<>(store.size());
    for (ShardView shard : store.all()) {
      places.add(place(shard));
    }
    List<MigrateAttachment> moves = new ArrayList<>();
    List<RemoveSecondary> removals = new ArrayList<>();
    for (Optimisation o : OptimisationPlanner.plan(places, loads, limit)) {
      if (o instanceof MigrateAttachment m) {
        moves.add(m);
        metrics.planned(m.reason().name().toLowerCase(java.util.Locale.ROOT));
      } else if (o instanceof RemoveSecondary r) {
        removals.add(r);
        metrics.planned("surplus_secondary");
      }
    }
    if (!moves.isEmpty() || !removals.isEmpty()) {
      log.info(
          "optimiser pass planned {} migrations and {} secondary removals",
          moves.size(),
          removals.size());
    }
    return new OptimiserPlan(moves, removals, null);
  }

  /** Drops the planned surplus secondaries still surplus; returns how many went. */
  public int removeSecondaries(List<RemoveSecondary> removals) {
    int removed = 0;
    for (Map.Entry<TenantId, List<RemoveSecondary>> tenant : byTenant(removals).entrySet()) {
      int count =
          store.change(
              tenant.getKey(),
              "update_tenant_shard",
              edit -> {
                int done = 0;
                for (RemoveSecondary removal : tenant.getValue()) {
                  ShardDraft shard = edit.shard(removal.shard()).orElse(null);
                  if (shard != null && stillSurplus(shard.before(), removal.node())) {
                    shard.intent().removeSecondary(removal.node());
                    log.info(
                        "{}: surplus secondary on node {} removed", shard.id(), removal.node());
                    done++;
                  }
                }
                return done;
              });
      if (count > 0) {
        reconciles.request(tenant.getKey());
        removed += count;
      }
    }
    metrics.applied(removed);
    return removed;
  }

  /** Opens the operations row of a pass with migrations, closing any row a lost attempt left. */
  public long openPass(String workflowId, int planned) {
    operations
        .running(KIND, TARGET)
        .ifPresent(stale -> operations.finish(stale.id(), "interrupted", "superseded"));
    return operations.start(KIND, TARGET, workflowId, planned, null);
  }

  /**
   * Moves the intents of the planned migrations still valid, holding each shard for the pass's
   * operation; returns the live migrations to run. A shard the pass already holds at its
   * destination (a lost earlier attempt of this step) is begun again rather than skipped.
   */
  public List<ShardMigrations.Begun> begin(long operationId, List<MigrateAttachment> moves) {
    List<ShardMigrations.Begun> begun = new ArrayList<>();
    for (Map.Entry<TenantId, List<MigrateAttachment>> tenant : byTenant(moves).entrySet()) {
      List<ShardMigrations.Begun> started =
          store.change(
              tenant.getKey(),
              "update_tenant_shard",
              edit -> {
                List<ShardMigrations.Begun> out = new ArrayList<>();
                for (MigrateAttachment move : tenant.getValue()) {
                  ShardDraft shard = edit.shard(move.shard()).orElse(null);
                  if (shard == null) {
                    continue;
                  }
                  if (Long.valueOf(operationId).equals(shard.heldBy())
                      && move.to().equals(shard.intent().attached())) {
                    out.add(new ShardMigrations.Begun(shard.id(), move.from(), move.to()));
                  } else if (stillPlanned(shard.before(), move)) {
                    out.add(migrations.beginPlanned(shard, move.to(), operationId));
                  }
                }
                return out;
              });
      for (ShardMigrations.Begun b : started) {
        if (b.handsOver()) {
          begun.add(b);
        } else {
          reconciles.request(tenant.getKey());
        }
      }
    }
    metrics.applied(begun.size());
    metrics.running(begun.size());
    return begun;
  }

  /** Closes the pass's row with what its migrations did. */
  public void finishPass(
      long operationId, long completed, long reverted, long failed, boolean cancelled) {
    metrics.done(completed, reverted, failed);
    metrics.running(0);
    operations.advance(operationId, completed);
    String state = cancelled ? "cancelled" : completed > 0 || failed == 0 ? "succeeded" : "failed";
    String error =
        failed + reverted == 0
            ? null
            : failed + " migrations failed and " + reverted + " were reverted (not warm in time)";
    operations.finish(operationId, state, error);
    log.info(
        "optimiser pass {}: {} migrated, {} reverted, {} failed",
        operationId,
        completed,
        reverted,
        failed);
  }

  /** The plan may be stale: the shard must still be attached where it was, movable, confirmed. */
  private boolean stillPlanned(ShardView shard, MigrateAttachment move) {
    return place(shard).movable()
        && move.from().equals(shard.attached())
        && !move.to().equals(shard.attached())
        && store.scheduler().mayScheduleOn(move.to())
        && nodes.availableNodes().contains(move.from())
        && shard.confirmed(move.from()).map(LocationConfig::inAttachedMode).orElse(false);
  }

  private boolean stillSurplus(ShardView shard, NodeId node) {
    return place(shard).movable()
        && shard.policy() instanceof PlacementPolicy.Attached wanted
        && shard.secondaries().size() > wanted.secondaries()
        && shard.secondaries().contains(node);
  }

  private static ShardPlace place(ShardView shard) {
    int wanted = shard.policy() instanceof PlacementPolicy.Attached a ? a.secondaries() : -1;
    boolean movable =
        !shard.held()
            && !shard.splitting()
            && wanted >= 0
            && shard.schedulingPolicy() == ShardSchedulingPolicy.ACTIVE;
    return new ShardPlace(
        shard.id(), shard.preferredAz(), shard.attached(), shard.secondaries(), wanted, movable);
  }

  private static NodeLoad load(SchedulerNodeState node) {
    boolean overloaded =
        node.utilizationScore() != null && node.utilizationScore() >= Utilization.OVERLOADED;
    return new NodeLoad(node.nodeId(), node.az(), node.maySchedule(), overloaded);
  }

  private static <T extends Optimisation> Map<TenantId, List<T>> byTenant(List<T> items) {
    Map<TenantId, List<T>> out = new LinkedHashMap<>();
    Function<TenantId, List<T>> fresh = t -> new ArrayList<>();
    items.forEach(o -> out.computeIfAbsent(o.shard().tenantId(), fresh).add(o));
    return out;
  }
}
