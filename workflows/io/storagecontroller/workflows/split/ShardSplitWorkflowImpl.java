package io.storagecontroller.workflows.split;

import io.storagecontroller.activities.TaskQueues;
import io.storagecontroller.activities.split.ShardSplitActivities;
import io.storagecontroller.activities.split.SplitParent;
import io.storagecontroller.activities.split.SplitPlan;
import io.storagecontroller.activities.split.SplitRequest;
import io.storagecontroller.model.TenantShardId;
import io.storagecontroller.workflows.StepHeartbeat;
import io.temporal.activity.ActivityOptions;
import io.temporal.common.RetryOptions;
import io.temporal.failure.ActivityFailure;
import io.temporal.failure.ApplicationFailure;
import io.temporal.spring.boot.WorkflowImpl;
import io.temporal.workflow.Workflow;
import java.time.Duration;
import java.util.List;
import org.slf4j.Logger;

/** See {@link ShardSplitWorkflow}. */
@WorkflowImpl(taskQueues = TaskQueues.CONTROLLER)
public class ShardSplitWorkflowImpl implements ShardSplitWorkflow {
  private static final Logger log = Workflow.getLogger(ShardSplitWorkflowImpl.class);

  /** Operation states, as the operations table spells them. */
  static final String SUCCEEDED = "succeeded";

  static final String FAILED_STATE = "failed";
  static final String CANCELLED_STATE = "cancelled";

  private static ActivityOptions options(Duration timeout, int attempts) {
    return ActivityOptions.newBuilder()
        .setStartToCloseTimeout(timeout)
        .setHeartbeatTimeout(StepHeartbeat.TIMEOUT)
        .setRetryOptions(
            RetryOptions.newBuilder()
                .setInitialInterval(Duration.ofSeconds(1))
                .setBackoffCoefficient(2)
                .setMaximumInterval(Duration.ofSeconds(30))
                .setMaximumAttempts(attempts)
                .build())
        .build();
  }

  /**
   * Begin runs once: a second attempt would find the parents splitting and refuse. It may wait for
   * a reconcile already talking to a parent (up to 3 x 25 s of location_config), hence the timeout.
   */
  private final ShardSplitActivities once =
      Workflow.newActivityStub(ShardSplitActivities.class, options(Duration.ofMinutes(3), 1));

  /**
   * The pageserver split: once (Neon does not retry it), bounded by the pageserver client's own
   * timeout well inside this one. Like every step it heartbeats while it runs, so a controller that
   * died mid-call is noticed (with a Temporal cluster) within the heartbeat timeout, not the hour.
   */
  private final ShardSplitActivities pageservers =
      Workflow.newActivityStub(ShardSplitActivities.class, options(Duration.ofHours(1), 1));

  /** The commit and best-effort cleanups: a few attempts. */
  private final ShardSplitActivities steps =
      Workflow.newActivityStub(ShardSplitActivities.class, options(Duration.ofMinutes(2), 5));

  /**
   * Rollback, completion and the operation's outcome must happen: retried until they do (Neon
   * retries an abort every 5 s). A split stuck here shows its phase in the operations API.
   */
  private final ShardSplitActivities untilDone =
      Workflow.newActivityStub(ShardSplitActivities.class, options(Duration.ofMinutes(2), 0));

  private boolean cancelRequested;
  private String phase = "starting";

  @Override
  public List<TenantShardId> split(SplitRequest request) {
    if (request.resume()) {
      phase = "committed";
      return complete(untilDone.resumePlan(request));
    }
    SplitPlan plan;
    try {
      plan = once.begin(request);
    } catch (ActivityFailure e) {
      ApplicationFailure cause = applicationFailure(e);
      if (cause != null && ShardSplitActivities.REFUSED.equals(cause.getType())) {
        phase = "refused";
        untilDone.finish(request.operationId(), FAILED_STATE, cause.getOriginalMessage(), phase);
        // The detail (the refusal's kind) passes through unread.
        throw ApplicationFailure.newNonRetryableFailure(
            cause.getOriginalMessage(),
            ShardSplitActivities.REFUSED,
            cause.getDetails().get(0, Object.class));
      }
      // Begin may have marked the parents before failing: undo whatever it did.
      return rollBack(SplitPlan.unstarted(request), false, message(e));
    }
    if (plan.alreadySplit()) {
      phase = "completed";
      untilDone.finish(plan.operationId(), SUCCEEDED, null, phase);
      return plan.children();
    }
    phase = "validated";
    String failure = null;
    boolean committed = false;
    try {
      for (SplitParent parent : plan.parents()) {
        if (cancelRequested) {
          break;
        }
        phase = "splitting_on_pageservers";
        pageservers.splitOnPageserver(plan, parent);
      }
      if (!cancelRequested) {
        steps.commit(plan);
        committed = true;
        phase = "committed";
      }
    } catch (ActivityFailure e) {
      failure = message(e);
    }
    if (!committed) {
      return rollBack(plan, failure == null, failure);
    }
    return complete(plan);
  }

  @Override
  public void cancel() {
    if (phase.equals("committed") || phase.equals("reconciling_children")) {
      log.info("cancel of a committed split ignored: it completes");
      return;
    }
    cancelRequested = true;
  }

  @Override
  public String phase() {
    return phase;
  }

  /**
   * Undoes the split; if the undo finds the commit landed after all, completes it instead.
   * Otherwise fails the workflow with the reason.
   */
  private List<TenantShardId> rollBack(SplitPlan plan, boolean cancelled, String failure) {
    phase = "rolling_back";
    log.info(
        "split of tenant {} rolls back: {}", plan.tenantId(), cancelled ? "cancelled" : failure);
    if (untilDone.rollback(plan)) {
      log.info("split of tenant {} was committed after all: completing it", plan.tenantId());
      return complete(plan);
    }
    String cleanup = "";
    try {
      // Until done: a node that stays unreachable is skipped (it drops the children when it
      // re-attaches), one that answers must not keep them.
      untilDone.removeChildLocations(plan);
    } catch (ActivityFailure e) {
      cleanup = "; some children could not be removed from their pageservers: " + message(e);
    }
    phase = "rolled_back";
    String reason =
        (cancelled ? "cancelled" : "failed: " + failure) + "; the split was rolled back" + cleanup;
    untilDone.finish(plan.operationId(), cancelled ? CANCELLED_STATE : FAILED_STATE, reason, phase);
    throw ApplicationFailure.newNonRetryableFailure(
        "Shard split of tenant " + plan.tenantId() + " " + reason, cancelled ? CANCELLED : FAILED);
  }

  /** After the commit: place and reconcile the children, clean up the parents, announce. */
  private List<TenantShardId> complete(SplitPlan plan) {
    phase = "reconciling_children";
    untilDone.placeChildren(plan);
    try {
      steps.removeParentLocations(plan);
    } catch (ActivityFailure e) {
      log.warn("parents of tenant {} not fully removed: {}", plan.tenantId(), message(e));
    }
    try {
      steps.awaitChildrenReconciled(plan);
    } catch (ActivityFailure e) {
      log.warn("waiting for the children of tenant {} failed: {}", plan.tenantId(), message(e));
    }
    try {
      steps.notifyCompute(plan);
    } catch (ActivityFailure e) {
      log.warn("compute notification of tenant {} failed: {}", plan.tenantId(), message(e));
    }
    phase = "completed";
    untilDone.finish(plan.operationId(), SUCCEEDED, null, phase);
    return plan.children();
  }

  private static ApplicationFailure applicationFailure(ActivityFailure e) {
    return e.getCause() instanceof ApplicationFailure cause ? cause : null;
  }

  private static String message(ActivityFailure e) {
    ApplicationFailure cause = applicationFailure(e);
    if (cause != null) {
      return cause.getOriginalMessage();
    }
    return e.getCause() != null ? e.getCause().getMessage() : e.getMessage();
  }
}
