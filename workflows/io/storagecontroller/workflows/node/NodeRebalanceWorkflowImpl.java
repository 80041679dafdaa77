package io.storagecontroller.workflows.node;

import io.storagecontroller.activities.TaskQueues;
import io.storagecontroller.activities.migration.MigrationRequest;
import io.storagecontroller.activities.rebalance.BegunMoves;
import io.storagecontroller.activities.rebalance.RebalanceActivities;
import io.storagecontroller.activities.rebalance.RebalanceMove;
import io.storagecontroller.model.TenantShardId;
import io.storagecontroller.workflows.OperationSteps;
import io.storagecontroller.workflows.migration.LiveMigrationWorkflow;
import io.storagecontroller.workflows.migration.MigrationOutcome;
import io.temporal.activity.ActivityCancellationType;
import io.temporal.failure.ActivityFailure;
import io.temporal.failure.CanceledFailure;
import io.temporal.failure.ChildWorkflowFailure;
import io.temporal.spring.boot.WorkflowImpl;
import io.temporal.workflow.Async;
import io.temporal.workflow.CancellationScope;
import io.temporal.workflow.Promise;
import io.temporal.workflow.Workflow;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.slf4j.Logger;

/**
 * See {@link NodeRebalanceWorkflow}. Plans in rounds (one pass over the shards each), runs each
 * round's migrations in windows, and continues as new after a few rounds so its history stays short
 * however many shards the node holds.
 */
@WorkflowImpl(taskQueues = TaskQueues.CONTROLLER)
public class NodeRebalanceWorkflowImpl implements NodeRebalanceWorkflow {
  /** Migrations in flight at once: Neon's MAX_RECONCILES_PER_OPERATION. */
  static final int WINDOW = 64;

  /** Moves planned per pass over the shards. */
  static final int ROUND = 512;

  /** Rounds per run in runs begun before {@link #ONE_ROUND_PER_RUN}. */
  static final int ROUNDS_PER_RUN = 4;

  /**
   * Change id: each run plans one round and continues as new. The in-process Temporal service reads
   * a workflow's whole history at each of its tasks, and a drain has one per window of children:
   * four rounds per run made that a twelfth of the controller's CPU at 10,000 moves.
   */
  static final String ONE_ROUND_PER_RUN = "one-round-per-run";

  /** Change id: children begun by a window a cancel overtook are cancelled once started. */
  static final String CANCEL_BEGUN_WINDOW = "cancel-begun-window";

  /**
   * Change id: a window's migrations run side by side in one activity ({@code migrate}) instead of
   * a child workflow each: the children and their local activities were two fifths of the
   * controller's CPU in a drain of 10,000 shards at 100,000.
   */
  static final String WINDOW_AS_ACTIVITY = "window-as-activity";

  /**
   * A window's moves wait at most 30 s to warm up, 10 s for the origin's flush, 60 s for catch-up
   * and 60 s for computes, plus their pageserver calls and retries.
   */
  static final Duration WINDOW_TIMEOUT = Duration.ofMinutes(10);

  private static final Logger log = Workflow.getLogger(NodeRebalanceWorkflowImpl.class);

  private final RebalanceActivities activities =
      OperationSteps.stub(RebalanceActivities.class, Duration.ofMinutes(2));

  private final RebalanceActivities windows =
      OperationSteps.stub(
          RebalanceActivities.class,
          WINDOW_TIMEOUT,
          ActivityCancellationType.WAIT_CANCELLATION_COMPLETED);

  private boolean cancelRequested;
  private final List<LiveMigrationWorkflow> running = new ArrayList<>();

  /** The running window's activity call, which a cancel cancels. */
  private CancellationScope windowCall;

  private boolean windowAsActivity;

  @Override
  public void run(NodeRebalanceRequest request) {
    windowAsActivity = Workflow.getVersion(WINDOW_AS_ACTIVITY, Workflow.DEFAULT_VERSION, 1) == 1;
    int roundsPerRun =
        Workflow.getVersion(ONE_ROUND_PER_RUN, Workflow.DEFAULT_VERSION, 1) == 1
            ? 1
            : ROUNDS_PER_RUN;
    try {
      for (int round = 0; !cancelRequested; round++) {
        if (round >= roundsPerRun) {
          Workflow.continueAsNew(request);
          return;
        }
        List<RebalanceMove> moves = activities.plan(request.kind(), request.nodeId(), ROUND);
        if (moves.isEmpty()) {
          break;
        }
        if (runRound(request, moves) == 0 && !cancelRequested) {
          finish(request, "failed", "no shard could be moved; see the migrate workflows' errors");
          return;
        }
      }
      finish(request, cancelRequested ? "cancelled" : "succeeded", null);
    } catch (ActivityFailure e) {
      String error = OperationSteps.reason(e);
      log.warn("{} of node {} failed: {}", request.kind(), request.nodeId(), error);
      finish(request, "failed", error);
    }
  }

  @Override
  public void cancel() {
    cancelRequested = true;
    if (windowCall != null) {
      windowCall.cancel();
    }
    cancelRunning();
  }

  private void cancelRunning() {
    for (LiveMigrationWorkflow migration : running) {
      try {
        migration.cancel();
      } catch (RuntimeException finished) {
        // Already done: nothing to stop.
      }
    }
  }

  /** Returns how many shards moved. */
  private long runRound(NodeRebalanceRequest request, List<RebalanceMove> moves) {
    long moved = 0;
    for (int from = 0; from < moves.size() && !cancelRequested; from += WINDOW) {
      List<RebalanceMove> window =
          new ArrayList<>(moves.subList(from, Math.min(moves.size(), from + WINDOW)));
      BegunMoves begun =
          activities.begin(request.kind(), request.nodeId(), request.operationId(), window);
      long completed =
          windowAsActivity
              ? migrateWindow(request, begun.migrations())
              : migrateChildren(request, begun.migrations());
      long done = completed + begun.reconciled();
      List<TenantShardId> shards = new ArrayList<>();
      begun.migrations().forEach(m -> shards.add(m.tenantShardId()));
      activities.advance(request.operationId(), done, shards);
      moved += done;
    }
    return moved;
  }

  /**
   * The window's migrations in one activity, which a cancel cancels. One that ends any other way
   * than with its result (cancelled before it started, failed in every attempt) is called again
   * wound back: whatever it left begun is reverted, or carried forward past its point of no return.
   */
  private long migrateWindow(NodeRebalanceRequest request, List<MigrationRequest> migrations) {
    if (migrations.isEmpty()) {
      return 0;
    }
    List<Promise<Long>> outcome = new ArrayList<>(1);
    windowCall =
        Workflow.newCancellationScope(
            () ->
                outcome.add(
                    Async.function(
                        windows::migrate, request.operationId(), migrations, cancelRequested)));
    windowCall.run();
    try {
      return outcome.get(0).get();
    } catch (ActivityFailure | CanceledFailure e) {
      log.warn("a window of the {} ended early: {}", request.kind(), e.getMessage());
    } finally {
      windowCall = null;
    }
    try {
      return windows.migrate(request.operationId(), migrations, true);
    } catch (ActivityFailure e) {
      // Its shards are released all the same: the reconciler takes them from there.
      log.warn("a window of the {} could not be wound back: {}", request.kind(), e.getMessage());
      return 0;
    }
  }

  /**
   * The window's migrations as a child workflow each (runs begun before {@link
   * #WINDOW_AS_ACTIVITY}).
   */
  private long migrateChildren(NodeRebalanceRequest request, List<MigrationRequest> migrations) {
    List<Promise<MigrationOutcome>> outcomes = new ArrayList<>();
    for (MigrationRequest migration : migrations) {
      LiveMigrationWorkflow child = LiveMigrationWorkflow.child(migration.tenantShardId());
      running.add(child);
      outcomes.add(Async.function(child::migrate, migration));
    }
    if (cancelRequested
        && Workflow.getVersion(CANCEL_BEGUN_WINDOW, Workflow.DEFAULT_VERSION, 1) == 1) {
      // The cancel arrived while `begin` moved the intents, before these children existed (the
      // SDK runs signal handlers before the code an activity result unblocks): they hold their
      // shards now, so they are the ones to give them back.
      cancelRunning();
    }
    long completed = 0;
    for (Promise<MigrationOutcome> outcome : outcomes) {
      try {
        if (outcome.get() == MigrationOutcome.COMPLETED) {
          completed++;
        }
      } catch (ChildWorkflowFailure e) {
        log.warn("a migration of the {} failed: {}", request.kind(), e.getMessage());
      }
    }
    running.clear();
    return completed;
  }

  private void finish(NodeRebalanceRequest request, String state, String error) {
    activities.finish(request.kind(), request.nodeId(), request.operationId(), state, error);
  }
}
