package io.storagecontroller.activities.startup;

import io.storagecontroller.model.NodeId;
import io.storagecontroller.model.TenantId;
import io.temporal.activity.ActivityInterface;
import io.temporal.activity.ActivityMethod;
import java.util.List;

/**
 * The side effects of start-up. Every method takes the boot id of the process that started the
 * workflow and refuses to act for another boot: a start-up workflow left by a dead process must
 * never mark the next process ready.
 */
@ActivityInterface
public interface StartupActivities {
  /** The registered nodes to scan. */
  @ActivityMethod
  List<NodeId> nodesToScan(String bootId);

  /** Reads one node's locations into the observed state and marks the node available. */
  @ActivityMethod
  NodeScan scanNode(String bootId, NodeId nodeId);

  /** Requests a reconcile for every tenant whose observed state differs from its intent. */
  @ActivityMethod
  int reconcileDirty(String bootId);

  /** Opens the tenant API and turns {@code /ready} to 200. */
  @ActivityMethod
  void markReady(String bootId);

  /** Tenants with an attached shard, whose computes are told where their shards are. */
  @ActivityMethod
  List<TenantId> tenantsToNotify(String bootId);

  /** Notifies the computes of a batch of tenants. */
  @ActivityMethod
  void notifyComputes(String bootId, List<TenantId> tenantIds);

  /** Detaches locations a pageserver holds for shards the controller does not know. */
  @ActivityMethod
  int detachStrays(String bootId, NodeId nodeId);
}
