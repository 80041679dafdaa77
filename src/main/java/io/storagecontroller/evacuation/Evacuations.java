package io.storagecontroller.evacuation;

import io.storagecontroller.compute.ComputeNotifications;
import io.storagecontroller.failpoint.FailpointNames;
import io.storagecontroller.failpoint.Failpoints;
import io.storagecontroller.model.NodeAvailability;
import io.storagecontroller.model.NodeId;
import io.storagecontroller.model.TenantId;
import io.storagecontroller.model.TenantShardId;
import io.storagecontroller.node.Node;
import io.storagecontroller.node.NodeService;
import io.storagecontroller.operation.Operation;
import io.storagecontroller.operation.OperationLog;
import io.storagecontroller.reconcile.ReconcileSlots;
import io.storagecontroller.reconcile.ShardReconciler;
import io.storagecontroller.scheduler.ScheduleContext;
import io.storagecontroller.scheduler.ScheduleException;
import io.storagecontroller.shard.ShardDraft;
import io.storagecontroller.shard.ShardStore;
import io.storagecontroller.shard.ShardView;
import io.storagecontroller.shard.TenantEdit;
import jakarta.annotation.PreDestroy;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.stereotype.Component;

/**
 * Moving every attachment off a node that failed: plan (each shard attached there is demoted, its
 * warm location kept as a secondary, rescheduled and held by the evacuation's operation), then
 * reconcile the affected tenants in batches and tell their computes.
 *
 * <p>The hold is what keeps the work in one place: the reconcile sweep leaves held shards alone, so
 * the tenants the batches have not reached yet are not also reconciled by one workflow each (at
 * 10,000 tenants the sweep that ran 20 s into an evacuation started 8,600 of them). A batch
 * releases its tenants just before reconciling them; the operation's end releases whatever a failed
 * batch left, and the control loop's repair releases the holds of an operation that ended without
 * that (its workflow lost), after which the sweep reconciles them.
 */
@Component
public class Evacuations {
  private static final Logger log = LoggerFactory.getLogger(Evacuations.class);

  /**
   * Tenants rescheduled per transaction: a plan of thousands of tenants is a few transactions, not
   * one per tenant, and each holds only its group's tenant locks.
   */
  static final int PLAN_GROUP = 256;

  /** The kind of the operation row an evacuation records. */
  public static final String KIND = "evacuate";

  private final ShardStore store;
  private final NodeService nodes;
  private final ShardReconciler reconciler;
  private final ComputeNotifications notifications;
  private final OperationLog operations;
  private final Failpoints failpoints;

  /**
   * The threads batches reconcile their tenants on: Neon's bound of 64 reconciles per operation,
   * whatever the batches in flight hold (four of 64 tenants keep every thread busy while the next
   * batch is dispatched); idle threads go after a minute.
   */
  private final ThreadPoolExecutor sideBySide = boundedPool("tenant-reconcile", 64);

  public Evacuations(
      ShardStore store,
      NodeService nodes,
      ShardReconciler reconciler,
      ComputeNotifications notifications,
      OperationLog operations,
      Failpoints failpoints) {
    this.store = store;
    this.nodes = nodes;
    this.reconciler = reconciler;
    this.notifications = notifications;
    this.operations = operations;
    this.failpoints = failpoints;
  }

  /** The operation row and the tenants whose shards were moved off the node. */
  public record Plan(long operationId, List<TenantId> tenants) {}

  /**
   * Reschedules every shard attached to the node, if it is still offline and some node can take
   * them, and records the operation; returns the affected tenants.
   */
  public Plan plan(NodeId node, String workflowId) {
    Optional<Node> known = nodes.find(node);
    if (known.isEmpty() || known.get().availability() != NodeAvailability.OFFLINE) {
      log.info("node {} is no longer offline; nothing to evacuate", node);
      return new Plan(0, List.of());
    }
    // Neon's #8060: with nothing schedulable, rescheduling would empty every intent.
    if (!store.scheduler().hasSchedulableNode()) {
      log.warn("node {} is offline but no other node can take its shards; waiting", node);
      return new Plan(0, List.of());
    }
    // The operation first: its id holds the shards the plan moves. A retried plan (the activity
    // failed after its writes) takes up the operation it started and the tenants it holds.
    long operation =
        runningOf(node, workflowId)
            .map(Operation::id)
            .orElseGet(() -> operations.start(KIND, target(node), workflowId, 0, null));
    Set<TenantId> planned = new LinkedHashSet<>(store.tenantsHeldBy(operation));
    for (ShardView shard : store.all()) {
      if (node.equals(shard.attached())) {
        planned.add(shard.id().tenantId());
      }
    }
    List<TenantId> affected = new ArrayList<>();
    List<TenantId> all = List.copyOf(planned);
    for (int from = 0; from < all.size(); from += PLAN_GROUP) {
      List<TenantId> group = all.subList(from, Math.min(all.size(), from + PLAN_GROUP));
      store
          .changeEach(
              group, "update_tenant_shard", (tenant, edit) -> reschedule(edit, node, operation))
          .forEach(
              (tenant, held) -> {
                if (held) {
                  affected.add(tenant);
                }
              });
    }
    operations.total(operation, affected.size());
    failpoints.hit(FailpointNames.EVACUATION_POST_PLAN);
    log.info(
        "evacuating node {}: {} tenants rescheduled (operation {})",
        node,
        affected.size(),
        operation);
    return new Plan(operation, affected);
  }

  /**
   * Moves the tenant's attachments off the node and holds the moved shards for the operation;
   * whether it holds any (moved now, or by an earlier attempt of the plan). A shard no node can
   * take stays where it is; one another operation holds (a migration) is moved but left to it.
   */
  private static boolean reschedule(TenantEdit edit, NodeId node, long operation) {
    ScheduleContext context = new ScheduleContext();
    edit.shards().forEach(s -> context.avoid(s.intent().allNodes()));
    boolean held = false;
    for (ShardDraft shard : edit.shards()) {
      if (Long.valueOf(operation).equals(shard.heldBy())) {
        held = true;
        continue;
      }
      if (!node.equals(shard.intent().attached())) {
        continue;
      }
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
      if (shard.heldBy() == null) {
        shard.holdFor(operation);
        held = true;
      }
    }
    return held;
  }

  /** Reconciles a batch of tenants and tells their computes; returns how many are done. */
  public int reconcileBatch(long operationId, List<TenantId> tenants) {
    failpoints.hit(FailpointNames.EVACUATION_PRE_BATCH);
    // One transaction releases the batch; each tenant's reconcile then sees its shards as dirty.
    store.changeEach(
        tenants,
        "release_shards",
        (tenant, edit) -> {
          edit.shards().stream()
              .filter(s -> Long.valueOf(operationId).equals(s.heldBy()))
              .forEach(ShardDraft::release);
          return Boolean.TRUE;
        });
    int done = reconcileSideBySide(tenants, ReconcileSlots.Priority.HIGH);
    operations.advance(operationId, done);
    return done;
  }

  /**
   * Reconciles the tenants side by side (each as {@link #reconcileNow}) and returns how many, once
   * all are done. A batch's tenants are independent; one after another, an evacuation's window of
   * batches kept only as many reconciles running as it had batches in flight (four), and its time
   * was the sum of their pageserver and database round trips.
   */
  int reconcileSideBySide(List<TenantId> tenants, ReconcileSlots.Priority priority) {
    List<CompletableFuture<Void>> running = new ArrayList<>(tenants.size());
    for (TenantId tenant : tenants) {
      running.add(CompletableFuture.runAsync(() -> reconcileNow(tenant, priority), sideBySide));
    }
    try {
      CompletableFuture.allOf(running.toArray(CompletableFuture[]::new)).join();
    } catch (CompletionException e) {
      if (e.getCause() instanceof RuntimeException cause) {
        throw cause;
      }
      throw e;
    }
    return tenants.size();
  }

  @PreDestroy
  void stop() {
    sideBySide.shutdownNow();
  }

  /**
   * Reconciles the tenant's dirty shards now, in this thread, and tells its computes where they are
   * (a reconcile run this way does not); a shard that fails is left dirty for the sweep.
   */
  void reconcileNow(TenantId tenant, ReconcileSlots.Priority priority) {
    for (TenantShardId shard : reconciler.dirtyShards(tenant)) {
      try {
        reconciler.reconcile(shard, priority);
      } catch (RuntimeException e) {
        log.warn("reconcile of {} failed; the sweep retries it: {}", shard, e.getMessage());
      }
    }
    notifications.notifyOrMarkPending(tenant);
  }

  private static ThreadPoolExecutor boundedPool(String name, int threads) {
    AtomicInteger count = new AtomicInteger();
    ThreadPoolExecutor pool =
        new ThreadPoolExecutor(
            threads,
            threads,
            1,
            TimeUnit.MINUTES,
            new LinkedBlockingQueue<>(),
            task -> {
              Thread thread = new Thread(task, name + "-" + count.incrementAndGet());
              thread.setDaemon(true);
              return thread;
            });
    pool.allowCoreThreadTimeOut(true);
    return pool;
  }

  /** The plan failed: its operation, if it started one, fails and releases what it held. */
  public void abandon(NodeId node, String workflowId, String error) {
    runningOf(node, workflowId)
        .ifPresent(
            o -> {
              log.warn("evacuation of node {} failed in its plan: {}", node, error);
              operations.finish(o.id(), Operation.FAILED, "plan failed: " + error);
            });
  }

  /** The evacuation of the node this workflow runs, if its plan started one. */
  private Optional<Operation> runningOf(NodeId node, String workflowId) {
    return operations.running(KIND, target(node)).filter(o -> workflowId.equals(o.workflowId()));
  }

  private static String target(NodeId node) {
    return "node/" + node.value();
  }

  public void finish(long operationId) {
    failpoints.hit(FailpointNames.EVACUATION_PRE_FINISH);
    if (operationId > 0) {
      operations.finish(operationId, Operation.SUCCEEDED, null);
    }
  }
}
