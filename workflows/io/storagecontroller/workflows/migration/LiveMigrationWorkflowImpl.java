package io.storagecontroller.workflows.migration;

import io.storagecontroller.activities.TaskQueues;
import io.storagecontroller.activities.migration.MigrationActivities;
import io.storagecontroller.activities.migration.MigrationRequest;
import io.storagecontroller.model.Lsn;
import io.storagecontroller.model.TenantShardId;
import io.storagecontroller.model.TimelineId;
import io.storagecontroller.workflows.OperationSteps;
import io.storagecontroller.workflows.PageserverSteps;
import io.temporal.failure.ActivityFailure;
import io.temporal.spring.boot.WorkflowImpl;
import io.temporal.workflow.Workflow;
import java.time.Duration;
import java.util.Map;
import org.slf4j.Logger;

/**
 * See {@link LiveMigrationWorkflow}. The point of no return is the destination's new generation: a
 * cancel or failure before it gives the attachment back to the origin, which still holds the newest
 * generation; after it, the migration goes forward (a cancel skips the remaining waits).
 */
@WorkflowImpl(taskQueues = TaskQueues.CONTROLLER)
public class LiveMigrationWorkflowImpl implements LiveMigrationWorkflow {
  /** Neon polls the destination's LSNs every 500 ms. */
  static final Duration LSN_POLL = Duration.ofMillis(500);

  /** Catch-up is bounded: a destination that cannot catch up still takes over, as a cold one. */
  static final Duration LSN_TIMEOUT = Duration.ofSeconds(60);

  /** Notifying computes is bounded too: an undelivered notification stays pending for the sweep. */
  static final Duration NOTIFY_TIMEOUT = Duration.ofSeconds(60);

  /** Change id: a migration cancelled past its point of no return still notifies computes once. */
  static final String NOTIFY_WHEN_CANCELLED = "notify-when-cancelled";

  private static final Logger log = Workflow.getLogger(LiveMigrationWorkflowImpl.class);

  private MigrationActivities activities;

  private boolean cancelRequested;

  @Override
  public MigrationOutcome migrate(MigrationRequest request) {
    activities = PageserverSteps.stub(MigrationActivities.class);
    TenantShardId shard = request.tenantShardId();
    try {
      if (request.prewarm()) {
        phase(request, "warming_up");
        activities.prepareDestination(shard, request.destination());
        if (!warmUp(request) && request.requireWarm() && !cancelRequested) {
          log.info("{}: destination still cold after {}", shard, request.warmupTimeout());
          return revert(request, "reverted", "destination did not warm up in time");
        }
      }
      if (cancelRequested) {
        return revert(request, "cancelled", null);
      }
      phase(request, "stepping_down_origin");
      Map<TimelineId, Lsn> baseline = activities.stepDownOrigin(shard, request.origin());
      if (cancelRequested) {
        return revert(request, "cancelled", null);
      }
      phase(request, "attaching_destination");
      activities.attachDestination(shard, request.destination());
      phase(request, "awaiting_lsn");
      awaitCatchUp(request, baseline);
      phase(request, "notifying_compute");
      notifyCompute(request);
      phase(request, "demoting_origin");
      activities.demoteOrigin(shard, request.origin());
      phase(request, "finalizing");
      activities.finalizeDestination(shard, request.destination());
      if (!request.holderReleases()) {
        activities.finish(
            shard, request.operationId(), request.holderOperation(), "succeeded", null);
      }
      return MigrationOutcome.COMPLETED;
    } catch (ActivityFailure e) {
      String error = OperationSteps.reason(e);
      log.warn("migration of {} failed: {}", shard, error);
      return recover(request, error);
    }
  }

  @Override
  public void cancel() {
    cancelRequested = true;
  }

  /** Whether the destination is warm; false when the warm-up ran out of time or was cancelled. */
  private boolean warmUp(MigrationRequest request) {
    long deadline = Workflow.currentTimeMillis() + request.warmupTimeout().toMillis();
    while (!cancelRequested && Workflow.currentTimeMillis() < deadline) {
      if (activities.warmUp(
          request.tenantShardId(),
          request.destination(),
          request.warmupRequestTimeout().toMillis())) {
        return true;
      }
    }
    return false;
  }

  private void awaitCatchUp(MigrationRequest request, Map<TimelineId, Lsn> baseline) {
    if (baseline.isEmpty()) {
      return;
    }
    long deadline = Workflow.currentTimeMillis() + LSN_TIMEOUT.toMillis();
    while (!cancelRequested
        && !activities.caughtUp(request.tenantShardId(), request.destination(), baseline)) {
      if (Workflow.currentTimeMillis() >= deadline) {
        log.warn("{}: destination did not catch up in {}", request.tenantShardId(), LSN_TIMEOUT);
        return;
      }
      Workflow.await(LSN_POLL, () -> cancelRequested);
    }
  }

  /**
   * Neon retries with backoff min(2^n, 10) s; bounded here, the sweep resends what is pending. A
   * migration cancelled past its point of no return still tries once ({@link
   * #NOTIFY_WHEN_CANCELLED}): an undelivered notification is then pending for the sweep, where none
   * tried would leave the computes pointed at the origin with nothing to resend.
   */
  private void notifyCompute(MigrationRequest request) {
    if (cancelRequested) {
      if (Workflow.getVersion(NOTIFY_WHEN_CANCELLED, Workflow.DEFAULT_VERSION, 1) == 1) {
        activities.notifyCompute(request.tenantShardId(), request.origin());
      }
      return;
    }
    long deadline = Workflow.currentTimeMillis() + NOTIFY_TIMEOUT.toMillis();
    for (int attempt = 0; !cancelRequested; attempt++) {
      if (activities.notifyCompute(request.tenantShardId(), request.origin())) {
        return;
      }
      if (Workflow.currentTimeMillis() >= deadline) {
        return;
      }
      Duration backoff = Duration.ofSeconds(Math.min(1L << Math.min(attempt, 4), 10));
      Workflow.await(backoff, () -> cancelRequested);
    }
  }

  /**
   * After a failed step: if the destination never got its generation the origin takes the
   * attachment back; otherwise the reconcile that follows finishes the move to the destination.
   */
  private MigrationOutcome recover(MigrationRequest request, String error) {
    TenantShardId shard = request.tenantShardId();
    try {
      if (!activities.destinationHoldsGeneration(shard, request.destination())) {
        return revert(request, "failed", error);
      }
    } catch (ActivityFailure e) {
      log.warn("migration of {} could not be rolled back: {}", shard, e.getMessage());
    }
    finishQuietly(request, "failed", error);
    return MigrationOutcome.FAILED;
  }

  private MigrationOutcome revert(MigrationRequest request, String state, String error) {
    phase(request, "reverting");
    try {
      activities.revert(request.tenantShardId(), request.origin(), request.destination());
    } catch (ActivityFailure e) {
      log.warn("revert of {} failed: {}", request.tenantShardId(), e.getMessage());
    }
    finishQuietly(request, state, error);
    return "failed".equals(state) ? MigrationOutcome.FAILED : MigrationOutcome.REVERTED;
  }

  /**
   * Releases the shard and closes the migration's row, unless its holder does that (the request, in
   * the history, decides: runs recorded before {@code holderReleases} replay as they ran).
   */
  private void finishQuietly(MigrationRequest request, String state, String error) {
    if (request.holderReleases()) {
      return;
    }
    try {
      activities.finish(
          request.tenantShardId(), request.operationId(), request.holderOperation(), state, error);
    } catch (ActivityFailure e) {
      log.warn("finishing migration of {} failed: {}", request.tenantShardId(), e.getMessage());
    }
  }

  private void phase(MigrationRequest request, String phase) {
    if (request.operationId() > 0) {
      activities.phase(request.operationId(), phase);
    }
  }
}
