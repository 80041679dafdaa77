package io.storagecontroller.activities.node;

import io.storagecontroller.model.NodeId;
import io.storagecontroller.model.TenantId;
import io.temporal.activity.ActivityInterface;
import io.temporal.activity.ActivityMethod;
import java.util.List;

/** The side effects of moving every shard off a failed node. */
@ActivityInterface
public interface EvacuationActivities {
  /**
   * Reschedules every shard attached to the node (if it is still offline and some node can take
   * them), persists the new intents and records the operation; returns the affected tenants.
   */
  @ActivityMethod
  EvacuationPlan plan(NodeId nodeId, String workflowId);

  /** Reconciles a batch of tenants and tells their computes; returns how many are done. */
  @ActivityMethod
  int reconcileBatch(long operationId, List<TenantId> tenantIds);

  @ActivityMethod
  void finish(long operationId, long done);

  /**
   * The plan failed: closes the operation it may have started as failed, releasing the shards it
   * held, so the reconcile sweep takes them up at its next pass.
   */
  @ActivityMethod
  void abandon(NodeId nodeId, String workflowId, String error);
}
