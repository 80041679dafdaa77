package io.storagecontroller.activities.reconcile;

import io.storagecontroller.activities.TaskQueues;
import io.storagecontroller.compute.ComputeNotifications;
import io.storagecontroller.failpoint.FailpointNames;
import io.storagecontroller.failpoint.Failpoints;
import io.storagecontroller.model.TenantId;
import io.storagecontroller.model.TenantShardId;
import io.storagecontroller.reconcile.ReconcileMetrics;
import io.storagecontroller.reconcile.ReconcileSlots;
import io.storagecontroller.reconcile.ShardReconciler;
import io.temporal.activity.Activity;
import io.temporal.spring.boot.ActivityImpl;
import java.util.List;
import org.springframework.stereotype.Component;

/** A tenant's reconcile steps, each one call into the reconciler or the compute hook. */
@Component
@ActivityImpl(taskQueues = TaskQueues.CONTROLLER)
public class ReconcileActivitiesImpl implements ReconcileActivities {
  private final ShardReconciler reconciler;
  private final ComputeNotifications notifications;
  private final Failpoints failpoints;
  private final ReconcileMetrics metrics;

  public ReconcileActivitiesImpl(
      ShardReconciler reconciler,
      ComputeNotifications notifications,
      Failpoints failpoints,
      ReconcileMetrics metrics) {
    this.reconciler = reconciler;
    this.notifications = notifications;
    this.failpoints = failpoints;
    this.metrics = metrics;
  }

  @Override
  public List<TenantShardId> dirtyShards(TenantId tenantId) {
    return reconciler.dirtyShards(tenantId);
  }

  @Override
  public ShardReconcileResult reconcileShard(TenantShardId tenantShardId) {
    ShardReconciler.Outcome outcome = reconciler.reconcile(tenantShardId, priority());
    return new ShardReconcileResult(tenantShardId, outcome.attachmentChanged(), outcome.clean());
  }

  /**
   * An urgent workflow's reconciles (priority key 1 or 2; Temporal's default is 3) take the
   * priority slots.
   */
  private static ReconcileSlots.Priority priority() {
    int key = Activity.getExecutionContext().getInfo().getPriority().getPriorityKey();
    return key > 0 && key < 3 ? ReconcileSlots.Priority.HIGH : ReconcileSlots.Priority.NORMAL;
  }

  @Override
  public void notifyCompute(TenantId tenantId) {
    // Never fails: an undelivered notification is left pending on the tenant and the sweep sends
    // it, so a control plane that is down neither fails nor stalls the reconcile (Neon #6668).
    failpoints.hit(FailpointNames.RECONCILER_PRE_COMPUTE_NOTIFY);
    if (!notifications.notifyOrMarkPending(tenantId)) {
      // Neon's ok_no_notify: the pageservers were reconciled, the control plane was not told.
      metrics.completedWithoutNotify();
    }
  }
}
