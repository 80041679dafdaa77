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
import io.temporal.failure.ActivityFailure;
import io.temporal.failure.ChildWorkflowFailure;
import io.temporal.spring.boot.WorkflowImpl;
import io.temporal.workflow.Async;
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

  private static final Logger log = Workflow.getLogger(NodeRebalanceWorkflowImpl.class);

  private final RebalanceActivities activities =
      OperationSteps.stub(RebalanceActivities.class, Duration.ofMinutes(2));

  private boolean cancelRequested;
  private final List<LiveMigrationWorkflow> running = new ArrayList<>();

  @Override
  public void run(NodeRebalanceRequest request) {
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
      List<Promise<MigrationOutcome>> outcomes = new ArrayList<>();
      for (MigrationRequest migration : begun.migrations()) {
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
      long done = completed + begun.reconciled();
      List<TenantShardId> shards = new ArrayList<>();
      begun.migrations().forEach(m -> shards.add(m.tenantShardId()));
      activities.advance(request.operationId(), done, shards);
      moved += done;
    }
    return moved;
  }

  private void finish(NodeRebalanceRequest request, String state, String error) {
    activities.finish(request.kind(), request.nodeId(), request.operationId(), state, error);
  }
}
