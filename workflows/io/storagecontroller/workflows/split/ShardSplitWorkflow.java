package io.storagecontroller.workflows.split;

import io.storagecontroller.activities.split.SplitRequest;
import io.storagecontroller.model.TenantId;
import io.storagecontroller.model.TenantShardId;
import io.storagecontroller.workflows.CancelSignal;
import io.temporal.workflow.QueryMethod;
import io.temporal.workflow.SignalMethod;
import io.temporal.workflow.WorkflowInterface;
import io.temporal.workflow.WorkflowMethod;
import java.util.List;

/**
 * Splits every shard of a tenant, id {@code split/<tenant_id>}, as a saga: mark the parents
 * splitting, split each on its pageserver, commit the children in one transaction, then place,
 * reconcile and announce them. A failure or a cancel before the commit rolls back (children
 * removed, parents attached again); after the commit the split is only ever completed.
 *
 * <p>Fails with {@code SplitRefused} (not allowed; nothing changed; first detail the refusal's
 * kind), {@code SplitFailed} (rolled back after a failure) or {@code SplitCancelled} (rolled back
 * on request).
 */
@WorkflowInterface
public interface ShardSplitWorkflow {
  String ID_PREFIX = "split/";
  String FAILED = "SplitFailed";
  String CANCELLED = "SplitCancelled";

  static String workflowId(TenantId tenantId) {
    return ID_PREFIX + tenantId;
  }

  /** Returns the tenant's shards after the split. */
  @WorkflowMethod
  List<TenantShardId> split(SplitRequest request);

  /** Stop before the commit and roll back; ignored once the children are committed. */
  @SignalMethod(name = CancelSignal.NAME)
  void cancel();

  /** The step the split is at (the operations API shows the same). */
  @QueryMethod
  String phase();
}
