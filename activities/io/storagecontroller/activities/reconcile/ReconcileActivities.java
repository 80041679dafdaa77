package io.storagecontroller.activities.reconcile;

import io.storagecontroller.model.TenantId;
import io.storagecontroller.model.TenantShardId;
import io.temporal.activity.ActivityInterface;
import io.temporal.activity.ActivityMethod;
import java.util.List;

/**
 * The side effects of reconciling one tenant: reading its dirty shards, fixing each, telling
 * computes.
 */
@ActivityInterface
public interface ReconcileActivities {
  /** Shards of the tenant whose observed state differs from their intent. */
  @ActivityMethod
  List<TenantShardId> dirtyShards(TenantId tenantId);

  /**
   * Drives one shard's pageservers to its intent: a new generation when attaching to a node that
   * does not hold the current one, then location_config calls, recording what each pageserver
   * confirmed.
   */
  @ActivityMethod
  ShardReconcileResult reconcileShard(TenantShardId tenantShardId);

  /** Tells the control plane where the tenant's shards are attached now. */
  @ActivityMethod
  void notifyCompute(TenantId tenantId);
}
