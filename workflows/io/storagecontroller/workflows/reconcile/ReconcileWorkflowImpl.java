package io.storagecontroller.workflows.reconcile;

import io.storagecontroller.activities.TaskQueues;
import io.storagecontroller.activities.reconcile.ReconcileActivities;
import io.storagecontroller.activities.reconcile.ShardReconcileResult;
import io.storagecontroller.model.TenantId;
import io.storagecontroller.model.TenantShardId;
import io.storagecontroller.workflows.PageserverSteps;
import io.temporal.failure.ActivityFailure;
import io.temporal.spring.boot.WorkflowImpl;
import io.temporal.workflow.Async;
import io.temporal.workflow.Promise;
import io.temporal.workflow.Workflow;
import java.util.ArrayList;
import java.util.List;
import org.slf4j.Logger;

/**
 * Loops until the tenant is clean or no change is pending. A shard that fails is left dirty for the
 * periodic sweep to retry: the workflow never spins on a broken pageserver.
 */
@WorkflowImpl(taskQueues = TaskQueues.CONTROLLER)
public class ReconcileWorkflowImpl implements ReconcileWorkflow {
  /**
   * Rounds before continue-as-new, so a tenant whose intent keeps changing keeps a short history.
   */
  static final int MAX_ROUNDS_PER_RUN = 50;

  private static final Logger log = Workflow.getLogger(ReconcileWorkflowImpl.class);

  private ReconcileActivities activities;
  private boolean changePending;

  @Override
  public void reconcile(TenantId tenantId) {
    activities = PageserverSteps.stub(ReconcileActivities.class);
    for (int round = 1; ; round++) {
      changePending = false;
      boolean attachmentChanged = false;
      for (ShardReconcileResult result : reconcileDirtyShards(tenantId)) {
        attachmentChanged |= result.attachmentChanged();
      }
      if (attachmentChanged) {
        try {
          activities.notifyCompute(tenantId);
        } catch (ActivityFailure e) {
          // The notification stays pending on the tenant; the sweep sends it later.
          log.warn("compute notification for tenant {} failed: {}", tenantId, e.getMessage());
        }
      }
      if (!changePending) {
        return;
      }
      if (round >= MAX_ROUNDS_PER_RUN) {
        Workflow.continueAsNew(tenantId);
        return;
      }
    }
  }

  @Override
  public void intentChanged() {
    changePending = true;
  }

  private List<ShardReconcileResult> reconcileDirtyShards(TenantId tenantId) {
    List<TenantShardId> dirty = activities.dirtyShards(tenantId);
    List<Promise<ShardReconcileResult>> running = new ArrayList<>(dirty.size());
    for (TenantShardId shard : dirty) {
      running.add(Async.function(activities::reconcileShard, shard));
    }
    List<ShardReconcileResult> results = new ArrayList<>(dirty.size());
    for (int i = 0; i < running.size(); i++) {
      try {
        results.add(running.get(i).get());
      } catch (ActivityFailure e) {
        log.warn("reconcile of {} failed; the sweep retries it: {}", dirty.get(i), e.getMessage());
      }
    }
    return results;
  }
}
