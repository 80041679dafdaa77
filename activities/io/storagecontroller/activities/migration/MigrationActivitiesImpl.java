package io.storagecontroller.activities.migration;

import io.storagecontroller.activities.TaskQueues;
import io.storagecontroller.migration.ShardMigrations;
import io.storagecontroller.model.Lsn;
import io.storagecontroller.model.NodeId;
import io.storagecontroller.model.TenantShardId;
import io.storagecontroller.model.TimelineId;
import io.storagecontroller.operation.Operation;
import io.storagecontroller.operation.OperationLog;
import io.storagecontroller.reconcile.LiveMigrationSteps;
import io.storagecontroller.reconcile.ReconcileRequests;
import io.storagecontroller.reconcile.ShardReconciler;
import io.temporal.spring.boot.ActivityImpl;
import java.time.Duration;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.stereotype.Component;

/** The live-migration steps, each one call into the domain. */
@Component
@ActivityImpl(taskQueues = TaskQueues.CONTROLLER)
public class MigrationActivitiesImpl implements MigrationActivities {
  private static final Logger log = LoggerFactory.getLogger(MigrationActivitiesImpl.class);

  private final LiveMigrationSteps steps;
  private final ShardMigrations migrations;
  private final ShardReconciler reconciler;
  private final ReconcileRequests reconciles;
  private final OperationLog operations;

  public MigrationActivitiesImpl(
      LiveMigrationSteps steps,
      ShardMigrations migrations,
      ShardReconciler reconciler,
      ReconcileRequests reconciles,
      OperationLog operations) {
    this.steps = steps;
    this.migrations = migrations;
    this.reconciler = reconciler;
    this.reconciles = reconciles;
    this.operations = operations;
  }

  @Override
  public void prepareDestination(TenantShardId shard, NodeId destination) {
    if (standsAside(shard)) {
      return;
    }
    steps.prepareDestination(shard, destination);
  }

  @Override
  public boolean warmUp(TenantShardId shard, NodeId destination, long waitMillis) {
    return standsAside(shard) || steps.warmUp(shard, destination, Duration.ofMillis(waitMillis));
  }

  @Override
  public Map<TimelineId, Lsn> stepDownOrigin(TenantShardId shard, NodeId origin) {
    return standsAside(shard) ? Map.of() : steps.stepDownOrigin(shard, origin);
  }

  @Override
  public void attachDestination(TenantShardId shard, NodeId destination) {
    if (standsAside(shard)) {
      return;
    }
    steps.attachDestination(shard, destination);
  }

  @Override
  public boolean caughtUp(TenantShardId shard, NodeId destination, Map<TimelineId, Lsn> baseline) {
    return standsAside(shard) || steps.caughtUp(shard, destination, baseline);
  }

  @Override
  public boolean notifyCompute(TenantShardId shard, NodeId origin) {
    return standsAside(shard) || steps.notifyCompute(shard, origin);
  }

  @Override
  public void demoteOrigin(TenantShardId shard, NodeId origin) {
    if (standsAside(shard)) {
      return;
    }
    steps.demoteOrigin(shard, origin, true);
  }

  @Override
  public void finalizeDestination(TenantShardId shard, NodeId destination) {
    if (standsAside(shard)) {
      return;
    }
    steps.finalizeDestination(shard, destination);
  }

  @Override
  public boolean destinationHoldsGeneration(TenantShardId shard, NodeId destination) {
    // Standing aside, there is nothing to give back: true keeps the workflow from reverting.
    return standsAside(shard) || steps.holdsGeneration(shard, destination);
  }

  @Override
  public void revert(TenantShardId shard, NodeId origin, NodeId destination) {
    if (standsAside(shard)) {
      return;
    }
    migrations.revert(shard, origin, destination);
    steps.reattachOrigin(shard, origin);
  }

  @Override
  public void finish(
      TenantShardId id, long operationId, long holder, String outcome, String error) {
    migrations.end(id, holder);
    // Only a tenant left with work (a reverted or failed move, another shard's change) gets a
    // reconcile: a completed move leaves it clean. In a drain's profile this step was 15% of the
    // controller's CPU samples, half of it starting a reconcile workflow per move (which then ran,
    // to find nothing to do). Anything missed here is the sweep's.
    if (!reconciler.dirtyShards(id.tenantId()).isEmpty()) {
      reconciles.request(id.tenantId());
    }
    if (operationId > 0) {
      operations.finish(operationId, outcome, error);
      if (Operation.SUCCEEDED.equals(outcome)) {
        operations.advance(operationId, 1);
      }
    }
    log.info("{}: migration {}", id, outcome);
  }

  /**
   * A migration's shard is held by its operation from begin to end. One that is not held any more
   * was handed back to the reconciler while this workflow was away (its operation closed as
   * interrupted by the repair pass, with an external Temporal that was unreachable, say): the
   * workflow's plan is stale and the reconciler's intent rules, so the step does nothing.
   */
  private boolean standsAside(TenantShardId shard) {
    if (migrations.held(shard)) {
      return false;
    }
    log.warn("{}: no longer held by a migration: this step stands aside", shard);
    return true;
  }

  @Override
  public void phase(long operationId, String phase) {
    operations.phase(operationId, phase);
  }
}
