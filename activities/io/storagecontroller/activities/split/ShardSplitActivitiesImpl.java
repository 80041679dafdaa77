package io.storagecontroller.activities.split;

import io.storagecontroller.activities.TaskQueues;
import io.storagecontroller.compute.ComputeNotifications;
import io.storagecontroller.failpoint.FailpointTriggered;
import io.storagecontroller.failpoint.Failpoints;
import io.storagecontroller.http.ApiError;
import io.storagecontroller.model.Generation;
import io.storagecontroller.model.NodeId;
import io.storagecontroller.model.ShardCount;
import io.storagecontroller.model.ShardStripeSize;
import io.storagecontroller.model.TenantId;
import io.storagecontroller.model.TenantShardId;
import io.storagecontroller.node.NodeService;
import io.storagecontroller.operation.OperationPersistence;
import io.storagecontroller.pageserver.PageserverException;
import io.storagecontroller.pageserver.PageserverJson;
import io.storagecontroller.persistence.SerializableTransactions;
import io.storagecontroller.reconcile.ReconcileTrigger;
import io.storagecontroller.split.ChildPlacement;
import io.storagecontroller.split.ParentShard;
import io.storagecontroller.split.ShardSplits;
import io.storagecontroller.split.SplitAbortOutcome;
import io.storagecontroller.split.SplitChildren;
import io.storagecontroller.split.SplitLocations;
import io.storagecontroller.split.SplitNoLongerPending;
import io.storagecontroller.split.SplitStart;
import io.storagecontroller.startup.Readiness;
import io.storagecontroller.tenant.ServiceState;
import io.storagecontroller.tenant.TenantShard;
import io.temporal.activity.Activity;
import io.temporal.activity.ActivityExecutionContext;
import io.temporal.failure.ApplicationFailure;
import io.temporal.spring.boot.ActivityImpl;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.slf4j.MDC;
import org.springframework.stereotype.Component;
import tools.jackson.databind.node.ObjectNode;

/** A split's steps against this process's state, the database and the pageservers. */
@Component
@ActivityImpl(taskQueues = TaskQueues.CONTROLLER)
public class ShardSplitActivitiesImpl implements ShardSplitActivities {
  private static final Logger log = LoggerFactory.getLogger(ShardSplitActivitiesImpl.class);

  /** Well inside the workflow's 30 s heartbeat timeout for the split call. */
  static final Duration HEARTBEAT_EVERY = Duration.ofSeconds(5);

  /** Neon waits this long for the children's reconciles after a split. */
  static final Duration CHILDREN_RECONCILE_WAIT = Duration.ofSeconds(30);

  private final ShardSplits splits;
  private final SplitLocations locations;
  private final ChildPlacement placement;
  private final OperationPersistence operations;
  private final SerializableTransactions transactions;
  private final ReconcileTrigger reconciles;
  private final ComputeNotifications notifications;
  private final ServiceState state;
  private final NodeService nodes;
  private final Failpoints failpoints;
  private final Readiness readiness;

  /** Pageserver split calls run here while the activity's thread heartbeats. */
  private final ExecutorService splitCalls =
      Executors.newCachedThreadPool(
          r -> {
            Thread t = new Thread(r, "shard-split-call");
            t.setDaemon(true);
            return t;
          });

  public ShardSplitActivitiesImpl(
      ShardSplits splits,
      SplitLocations locations,
      ChildPlacement placement,
      OperationPersistence operations,
      SerializableTransactions transactions,
      ReconcileTrigger reconciles,
      ComputeNotifications notifications,
      ServiceState state,
      NodeService nodes,
      Failpoints failpoints,
      Readiness readiness) {
    this.splits = splits;
    this.locations = locations;
    this.placement = placement;
    this.operations = operations;
    this.transactions = transactions;
    this.reconciles = reconciles;
    this.notifications = notifications;
    this.state = state;
    this.nodes = nodes;
    this.failpoints = failpoints;
    this.readiness = readiness;
  }

  @Override
  public SplitPlan begin(SplitRequest request) {
    TenantId tenant = TenantId.parse(request.tenantId());
    ShardCount newCount;
    ShardStripeSize newStripe;
    try {
      newCount = ShardCount.of(request.newShardCount());
      newStripe =
          request.newStripeSize() == null ? null : ShardStripeSize.of(request.newStripeSize());
    } catch (IllegalArgumentException e) {
      throw refused(400, e.getMessage());
    }
    SplitStart start;
    try {
      failpoints.hit("shard-split-validation");
      start = splits.begin(request.operationId(), tenant, newCount, newStripe);
    } catch (ApiError e) {
      throw refused(e.status().value(), e.getMessage());
    } catch (FailpointTriggered e) {
      throw refused(503, e.getMessage());
    }
    if (start.isAlreadySplit()) {
      return new SplitPlan(
          request.operationId(),
          request.tenantId(),
          newCount.literal(),
          newCount.literal(),
          0,
          request.newStripeSize(),
          List.of(),
          start.alreadySplit().stream().map(TenantShardId::toString).toList());
    }
    List<SplitParent> parents = new ArrayList<>();
    for (ParentShard parent : start.parents()) {
      parents.add(
          new SplitParent(
              parent.id().toString(),
              parent.node().value(),
              parent.generation() == null ? null : parent.generation().value(),
              parent.tenantConf().toString(),
              parent.secondaries().stream().map(NodeId::value).toList()));
    }
    List<String> children =
        SplitChildren.ofAll(start.parents().stream().map(ParentShard::id).toList(), newCount)
            .stream()
            .map(TenantShardId::toString)
            .toList();
    // Pageservers only take a stripe size when splitting a single shard (validated above).
    Long stripeToSend =
        start.oldCount().count() == 1 && newStripe != null ? newStripe.value() : null;
    SplitPlan plan =
        new SplitPlan(
            request.operationId(),
            request.tenantId(),
            start.oldCount().literal(),
            newCount.literal(),
            start.childStripe().value(),
            stripeToSend,
            parents,
            children);
    hit("shard-split-post-begin");
    return plan;
  }

  @Override
  public SplitPlan resumePlan(SplitRequest request) {
    if (!readiness.isReady()) {
      // Placing the children needs the observed state the start-up scan is still gathering.
      throw ApplicationFailure.newFailure("start-up is not complete yet", "NotReady");
    }
    TenantId tenant = TenantId.parse(request.tenantId());
    ShardCount newCount = ShardCount.of(request.newShardCount());
    List<TenantShard> shards = state.tenant(tenant);
    long stripe = shards.isEmpty() ? 0 : state.read(() -> shards.get(0).stripeSize().value());
    List<String> children =
        shards.stream()
            .map(TenantShard::id)
            .filter(id -> id.shardCount().equals(newCount))
            .map(TenantShardId::toString)
            .toList();
    return new SplitPlan(
        request.operationId(),
        request.tenantId(),
        newCount.literal(),
        newCount.literal(),
        stripe,
        request.newStripeSize(),
        List.of(),
        children);
  }

  @Override
  public List<String> splitOnPageserver(SplitPlan plan, SplitParent parent) {
    TenantShardId id = TenantShardId.parse(parent.tenantShardId());
    MDC.put("tenant_shard_id", parent.tenantShardId());
    try {
      phase(plan.operationId(), "splitting_on_pageservers");
      ShardCount newCount = ShardCount.of(plan.newShardCount());
      ShardStripeSize newStripe =
          plan.newStripeSize() == null ? null : ShardStripeSize.of(plan.newStripeSize());
      CompletableFuture<List<TenantShardId>> call =
          CompletableFuture.supplyAsync(
              () -> locations.split(id, new NodeId(parent.nodeId()), newCount, newStripe),
              splitCalls);
      List<TenantShardId> made = awaitHeartbeating(call, parent.tenantShardId());
      List<TenantShardId> expected = SplitChildren.of(id, newCount);
      if (!made.stream().sorted().toList().equals(expected)) {
        throw ApplicationFailure.newNonRetryableFailure(
            "node " + parent.nodeId() + " split " + id + " into " + made + ", not " + expected,
            "UnexpectedChildren");
      }
      transactions.run("update_operation", () -> operations.advance(plan.operationId(), 1));
      log.info("{}: split on node {} into {}", id, parent.nodeId(), made);
      hit("shard-split-post-remote");
      return made.stream().map(TenantShardId::toString).toList();
    } finally {
      MDC.remove("tenant_shard_id");
    }
  }

  /**
   * Waits for the pageserver's answer, heartbeating meanwhile (a split may take minutes). Neon does
   * not retry a failed split: the saga rolls back and the operator may retry.
   */
  private static List<TenantShardId> awaitHeartbeating(
      CompletableFuture<List<TenantShardId>> call, String parent) {
    ActivityExecutionContext context = Activity.getExecutionContext();
    while (true) {
      try {
        return call.get(HEARTBEAT_EVERY.toMillis(), TimeUnit.MILLISECONDS);
      } catch (TimeoutException stillSplitting) {
        context.heartbeat(parent);
      } catch (ExecutionException e) {
        if (e.getCause() instanceof PageserverException failed) {
          throw ApplicationFailure.newNonRetryableFailure(
              "Failed to split " + parent + ": " + failed.getMessage(), "PageserverSplitFailed");
        }
        throw e.getCause() instanceof RuntimeException r ? r : new IllegalStateException(e);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw ApplicationFailure.newFailure("interrupted while splitting " + parent, "Interrupted");
      }
    }
  }

  @Override
  public void commit(SplitPlan plan) {
    hit("shard-split-pre-complete");
    try {
      splits.complete(
          plan.operationId(),
          TenantId.parse(plan.tenantId()),
          ShardCount.of(plan.oldShardCount()),
          ShardCount.of(plan.newShardCount()),
          ShardStripeSize.of(plan.childStripeSize()),
          parents(plan));
    } catch (SplitNoLongerPending e) {
      throw ApplicationFailure.newNonRetryableFailure(e.getMessage(), ABORTED);
    }
    hit("shard-split-post-complete");
  }

  @Override
  public void placeChildren(SplitPlan plan) {
    phase(plan.operationId(), "reconciling_children");
    TenantId tenant = TenantId.parse(plan.tenantId());
    placement.spread(tenant, ShardCount.of(plan.newShardCount()));
    reconciles.request(tenant);
  }

  @Override
  public void removeParentLocations(SplitPlan plan) {
    List<String> failures = new ArrayList<>();
    for (SplitParent parent : plan.parents()) {
      TenantShardId id = TenantShardId.parse(parent.tenantShardId());
      Set<Long> held = new LinkedHashSet<>();
      held.add(parent.nodeId());
      held.addAll(parent.secondaryNodes());
      for (long node : held) {
        try {
          locations.detach(new NodeId(node), List.of(id));
        } catch (PageserverException e) {
          failures.add(e.getMessage());
        }
      }
    }
    if (!failures.isEmpty()) {
      throw ApplicationFailure.newFailure(
          "parent locations not removed: " + failures, "PageserverUnavailable");
    }
  }

  @Override
  public boolean awaitChildrenReconciled(SplitPlan plan) {
    TenantId tenant = TenantId.parse(plan.tenantId());
    Instant deadline = Instant.now().plus(CHILDREN_RECONCILE_WAIT);
    while (!state.dirtyShards(tenant, nodes.availableNodes()).isEmpty()) {
      if (Instant.now().isAfter(deadline)) {
        log.warn("tenant {}: children not reconciled within {}", tenant, CHILDREN_RECONCILE_WAIT);
        return false;
      }
      try {
        Thread.sleep(50);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        return false;
      }
    }
    return true;
  }

  @Override
  public void notifyCompute(SplitPlan plan) {
    // Never fails: an undelivered notification stays pending and the sweep resends it.
    notifications.notifyOrMarkPending(TenantId.parse(plan.tenantId()));
  }

  @Override
  public boolean rollback(SplitPlan plan) {
    phase(plan.operationId(), "rolling_back");
    TenantId tenant = TenantId.parse(plan.tenantId());
    SplitAbortOutcome outcome =
        splits.abort(tenant, ShardCount.of(plan.newShardCount()), parents(plan));
    if (outcome != SplitAbortOutcome.COMMITTED && state.hasTenant(tenant)) {
      reconciles.request(tenant);
    }
    return outcome == SplitAbortOutcome.COMMITTED;
  }

  @Override
  public void removeChildLocations(SplitPlan plan) {
    ShardCount newCount = ShardCount.of(plan.newShardCount());
    for (SplitParent parent : plan.parents()) {
      TenantShardId id = TenantShardId.parse(parent.tenantShardId());
      try {
        locations.detach(new NodeId(parent.nodeId()), SplitChildren.of(id, newCount));
      } catch (PageserverException e) {
        throw ApplicationFailure.newFailure(
            "children of " + id + " not removed: " + e.getMessage(), "PageserverUnavailable");
      }
    }
  }

  @Override
  public void finish(long operationId, String state, String error, String phase) {
    transactions.run(
        "update_operation",
        () -> {
          operations.phase(operationId, phase);
          operations.finish(operationId, state, error);
        });
  }

  private void phase(long operationId, String phase) {
    transactions.run("update_operation", () -> operations.phase(operationId, phase));
  }

  /** A failpoint set to return fails this step, as a real failure would. */
  private void hit(String failpoint) {
    try {
      failpoints.hit(failpoint);
    } catch (FailpointTriggered e) {
      throw ApplicationFailure.newNonRetryableFailure(e.getMessage(), "Failpoint");
    }
  }

  private static ApplicationFailure refused(int status, String message) {
    return ApplicationFailure.newNonRetryableFailure(message, REFUSED, status);
  }

  private static List<ParentShard> parents(SplitPlan plan) {
    return plan.parents().stream()
        .map(
            p ->
                new ParentShard(
                    TenantShardId.parse(p.tenantShardId()),
                    new NodeId(p.nodeId()),
                    p.generation() == null ? null : Generation.of(p.generation()),
                    p.secondaryNodes().stream().map(NodeId::new).toList(),
                    (ObjectNode) PageserverJson.mapper().readTree(p.tenantConf())))
        .toList();
  }
}
