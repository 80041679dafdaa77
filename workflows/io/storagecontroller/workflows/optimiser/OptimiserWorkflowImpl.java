package io.storagecontroller.workflows.optimiser;

import io.storagecontroller.activities.TaskQueues;
import io.storagecontroller.activities.migration.MigrationRequest;
import io.storagecontroller.activities.optimiser.OptimiserActivities;
import io.storagecontroller.activities.optimiser.OptimiserMove;
import io.storagecontroller.activities.optimiser.OptimiserPassPlan;
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
 * See {@link OptimiserWorkflow}. A pass that moved nothing (nothing to do, the optimiser standing
 * aside, every migration given up) is followed by a sleep of the interval, so a fleet where moves
 * keep failing is not hammered; a failed step is logged and the next pass tries again.
 */
@WorkflowImpl(taskQueues = TaskQueues.CONTROLLER)
public class OptimiserWorkflowImpl implements OptimiserWorkflow {
  /** Migrations in flight at once, as for drain and fill. */
  static final int WINDOW = 64;

  static final int PASSES_PER_RUN = 10;

  private static final Logger log = Workflow.getLogger(OptimiserWorkflowImpl.class);

  private final OptimiserActivities activities =
      OperationSteps.stub(OptimiserActivities.class, Duration.ofMinutes(2));

  private final List<LiveMigrationWorkflow> running = new ArrayList<>();
  private boolean cancelRequested;
  private boolean woken;

  @Override
  public void run(OptimiserRequest request) {
    for (int pass = 0; pass < PASSES_PER_RUN; pass++) {
      long moved = 0;
      try {
        OptimiserPassPlan plan = activities.plan(request.limit());
        if (!plan.moves().isEmpty()) {
          moved = runPass(plan.moves());
        }
      } catch (ActivityFailure e) {
        log.warn("optimiser pass failed; the next one tries again: {}", e.getMessage());
      }
      cancelRequested = false;
      if (moved == 0) {
        woken = false;
        Workflow.await(request.interval(), () -> woken);
      }
      if (Workflow.getInfo().isContinueAsNewSuggested()) {
        break;
      }
    }
    Workflow.continueAsNew(request);
  }

  @Override
  public void cancel() {
    cancelRequested = true;
    for (LiveMigrationWorkflow migration : running) {
      try {
        migration.cancel();
      } catch (RuntimeException finished) {
        // Already done: nothing to stop.
      }
    }
  }

  @Override
  public void wake() {
    woken = true;
  }

  /** Runs one pass's migrations under one operations row; returns how many completed. */
  private long runPass(List<OptimiserMove> moves) {
    long operation = activities.open(moves.size());
    long completed = 0;
    long reverted = 0;
    long failed = 0;
    for (int from = 0; from < moves.size() && !cancelRequested; from += WINDOW) {
      List<OptimiserMove> window =
          new ArrayList<>(moves.subList(from, Math.min(moves.size(), from + WINDOW)));
      List<Promise<MigrationOutcome>> outcomes = new ArrayList<>();
      for (MigrationRequest migration : activities.begin(operation, window)) {
        LiveMigrationWorkflow child = LiveMigrationWorkflow.child(migration.tenantShardId());
        running.add(child);
        outcomes.add(Async.function(child::migrate, migration));
      }
      if (cancelRequested) {
        // The cancel arrived while `begin` moved the intents: these children hold their shards
        // now, so they are the ones to give them back.
        cancel();
      }
      for (Promise<MigrationOutcome> outcome : outcomes) {
        try {
          switch (outcome.get()) {
            case COMPLETED -> completed++;
            case REVERTED -> reverted++;
            default -> failed++;
          }
        } catch (ChildWorkflowFailure e) {
          log.warn("an optimiser migration failed: {}", e.getMessage());
          failed++;
        }
      }
      running.clear();
    }
    activities.finish(operation, completed, reverted, failed, cancelRequested);
    return completed;
  }
}
