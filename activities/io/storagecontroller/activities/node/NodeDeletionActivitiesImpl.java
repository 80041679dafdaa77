package io.storagecontroller.activities.node;

import io.storagecontroller.activities.TaskQueues;
import io.storagecontroller.evacuation.NodeDeletion;
import io.storagecontroller.model.NodeId;
import io.storagecontroller.model.NodeSchedulingPolicy;
import io.storagecontroller.model.TenantId;
import io.temporal.spring.boot.ActivityImpl;
import java.util.List;
import org.springframework.stereotype.Component;

/** A node deletion's steps, each one call into the domain. */
@Component
@ActivityImpl(taskQueues = TaskQueues.CONTROLLER)
public class NodeDeletionActivitiesImpl implements NodeDeletionActivities {
  private final NodeDeletion deletion;

  public NodeDeletionActivitiesImpl(NodeDeletion deletion) {
    this.deletion = deletion;
  }

  @Override
  public List<TenantId> reschedule(NodeId nodeId) {
    return deletion.reschedule(nodeId);
  }

  @Override
  public int reconcileBatch(long operationId, List<TenantId> tenantIds) {
    return deletion.reconcileBatch(operationId, tenantIds);
  }

  @Override
  public void finish(
      NodeId nodeId, long operationId, String state, String error, NodeSchedulingPolicy before) {
    deletion.finish(nodeId, operationId, state, error, before);
  }
}
