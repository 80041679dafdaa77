package io.storagecontroller.activities.node;

import io.storagecontroller.model.NodeId;
import io.storagecontroller.model.NodeSchedulingPolicy;
import io.storagecontroller.model.TenantId;
import io.temporal.activity.ActivityInterface;
import io.temporal.activity.ActivityMethod;
import java.util.List;

/** The side effects of deleting a node gracefully. */
@ActivityInterface(namePrefix = "NodeDeletion")
public interface NodeDeletionActivities {
  /** Moves every shard off the node in intent; returns the tenants to reconcile. */
  @ActivityMethod
  List<TenantId> reschedule(NodeId nodeId);

  /** Reconciles a batch of those tenants (detaching the node's locations); returns how many. */
  @ActivityMethod
  int reconcileBatch(long operationId, List<TenantId> tenantIds);

  /** Tombstones the node when it succeeded, else gives it back its policy; closes the row. */
  @ActivityMethod
  void finish(
      NodeId nodeId, long operationId, String state, String error, NodeSchedulingPolicy before);
}
