package io.storagecontroller.activities.split;

import io.storagecontroller.activities.TaskQueues;
import io.storagecontroller.failpoint.FailpointTriggered;
import io.storagecontroller.failpoint.Failpoints;
import io.storagecontroller.model.Refusal;
import io.storagecontroller.model.ShardCount;
import io.storagecontroller.model.ShardStripeSize;
import io.storagecontroller.model.TenantId;
import io.storagecontroller.model.TenantShardId;
import io.storagecontroller.pageserver.PageserverException;
import io.storagecontroller.pageserver.PageserverJson;
import io.storagecontroller.shard.ShardView;
import io.storagecontroller.split.ParentShard;
import io.storagecontroller.split.ShardSplitSteps;
import io.storagecontroller.split.SplitChildren;
import io.storagecontroller.split.SplitNoLongerPending;
import io.storagecontroller.split.SplitStart;
import io.temporal.activity.Activity;
import io.temporal.activity.ActivityExecutionContext;
import io.temporal.failure.ApplicationFailure;
import io.temporal.spring.boot.ActivityImpl;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.slf4j.MDC;
import org.springframework.stereotype.Component;
import tools.jackson.databind.node.ObjectNode;

/**
 * A split's steps, each one call into the domain; here only what is Temporal's: the payloads, the
 * refusal's HTTP status as a failure detail, and heartbeats while a pageserver splits.
 */
@Component
@ActivityImpl(taskQueues = TaskQueues.CONTROLLER)
public class ShardSplitActivitiesImpl implements ShardSplitActivities {
  /** Well inside the workflow's 30 s heartbeat timeout for the split call. */
  static final Duration HEARTBEAT_EVERY = Duration.ofSeconds(5);

  private final ShardSplitSteps steps;
  private final Failpoints failpoints;

  /** Pageserver split calls run here while the activity's thread heartbeats. */
  private final ExecutorService splitCalls =
      Executors.newCachedThreadPool(
          r -> {
            Thread t = new Thread(r, "shard-split-call");
            t.setDaemon(true);
            return t;
          });

  public ShardSplitActivitiesImpl(ShardSplitSteps steps, Failpoints failpoints) {
    this.steps = steps;
    this.failpoints = failpoints;
  }

  @Override
  public SplitPlan begin(SplitRequest request) {
    TenantId tenant = request.tenantId();
    ShardCount newCount;
    ShardStripeSize newStripe;
    try {
      newCount = ShardCount.of(request.newShardCount());
      newStripe =
          request.newStripeSize() == null ? null : ShardStripeSize.of(request.newStripeSize());
    } catch (IllegalArgumentException e) {
      throw refused(Refusal.badRequest(e.getMessage()));
    }
    SplitStart start;
    try {
      failpoints.hit("shard-split-validation");
    } catch (FailpointTriggered e) {
      throw refused(Refusal.unavailable(e.getMessage()));
    }
    try {
      start = steps.begin(request.operationId(), tenant, newCount, newStripe);
    } catch (Refusal e) {
      throw refused(e);
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
          start.alreadySplit());
    }
    List<TenantShardId> children =
        SplitChildren.ofAll(start.parents().stream().map(ParentShard::id).toList(), newCount);
    // Pageservers only take a stripe size when splitting a single shard (validated above).
    Long stripeToSend =
        start.oldCount().count() == 1 && newStripe != null ? newStripe.value() : null;
    return new SplitPlan(
        request.operationId(),
        request.tenantId(),
        start.oldCount().literal(),
        newCount.literal(),
        start.childStripe().value(),
        stripeToSend,
        start.parents().stream().map(ShardSplitActivitiesImpl::payload).toList(),
        children);
  }

  @Override
  public SplitPlan resumePlan(SplitRequest request) {
    List<ShardView> children =
        steps.committedChildren(request.tenantId(), ShardCount.of(request.newShardCount()));
    return new SplitPlan(
        request.operationId(),
        request.tenantId(),
        request.newShardCount(),
        request.newShardCount(),
        children.isEmpty() ? 0 : children.get(0).stripeSize().value(),
        request.newStripeSize(),
        List.of(),
        children.stream().map(ShardView::id).toList());
  }

  @Override
  public List<TenantShardId> splitOnPageserver(SplitPlan plan, SplitParent parent) {
    MDC.put("tenant_shard_id", parent.tenantShardId().toString());
    try {
      ShardStripeSize newStripe =
          plan.newStripeSize() == null ? null : ShardStripeSize.of(plan.newStripeSize());
      CompletableFuture<List<TenantShardId>> call =
          CompletableFuture.supplyAsync(
              () ->
                  steps.splitOnPageserver(
                      plan.operationId(),
                      parent(parent),
                      ShardCount.of(plan.newShardCount()),
                      newStripe),
              splitCalls);
      return awaitHeartbeating(call, parent.tenantShardId());
    } finally {
      MDC.remove("tenant_shard_id");
    }
  }

  /**
   * Waits for the pageserver's answer, heartbeating meanwhile (a split may take minutes). Neon does
   * not retry a failed split: the saga rolls back and the operator may retry.
   */
  private static List<TenantShardId> awaitHeartbeating(
      CompletableFuture<List<TenantShardId>> call, TenantShardId parent) {
    ActivityExecutionContext context = Activity.getExecutionContext();
    while (true) {
      try {
        return call.get(HEARTBEAT_EVERY.toMillis(), TimeUnit.MILLISECONDS);
      } catch (TimeoutException stillSplitting) {
        context.heartbeat(parent.toString());
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
    try {
      steps.commit(
          plan.operationId(),
          plan.tenantId(),
          ShardCount.of(plan.oldShardCount()),
          ShardCount.of(plan.newShardCount()),
          ShardStripeSize.of(plan.childStripeSize()),
          parents(plan));
    } catch (SplitNoLongerPending e) {
      throw ApplicationFailure.newNonRetryableFailure(e.getMessage(), ABORTED);
    }
  }

  @Override
  public void placeChildren(SplitPlan plan) {
    steps.placeChildren(plan.operationId(), plan.tenantId(), ShardCount.of(plan.newShardCount()));
  }

  @Override
  public void removeParentLocations(SplitPlan plan) {
    steps.removeParentLocations(parents(plan));
  }

  @Override
  public boolean awaitChildrenReconciled(SplitPlan plan) {
    return steps.awaitChildrenReconciled(plan.tenantId());
  }

  @Override
  public void notifyCompute(SplitPlan plan) {
    steps.notifyCompute(plan.tenantId());
  }

  @Override
  public boolean rollback(SplitPlan plan) {
    return steps.rollback(
        plan.operationId(), plan.tenantId(), ShardCount.of(plan.newShardCount()), parents(plan));
  }

  @Override
  public void removeChildLocations(SplitPlan plan) {
    steps.removeChildLocations(parents(plan), ShardCount.of(plan.newShardCount()));
  }

  @Override
  public void finish(long operationId, String state, String error, String phase) {
    steps.finish(operationId, state, error, phase);
  }

  /** The split is not allowed: the workflow fails with the refusal's kind as its detail. */
  private static ApplicationFailure refused(Refusal refusal) {
    return ApplicationFailure.newNonRetryableFailure(
        refusal.getMessage(), REFUSED, refusal.kind().name());
  }

  private static SplitParent payload(ParentShard parent) {
    return new SplitParent(
        parent.id(),
        parent.node(),
        parent.generation(),
        parent.tenantConf().toString(),
        parent.secondaries());
  }

  private static ParentShard parent(SplitParent p) {
    return new ParentShard(
        p.tenantShardId(),
        p.nodeId(),
        p.generation(),
        p.secondaryNodes(),
        (ObjectNode) PageserverJson.mapper().readTree(p.tenantConf()));
  }

  private static List<ParentShard> parents(SplitPlan plan) {
    return plan.parents().stream().map(ShardSplitActivitiesImpl::parent).toList();
  }
}
