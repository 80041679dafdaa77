package io.storagecontroller.activities.node;

import io.storagecontroller.activities.TaskQueues;
import io.storagecontroller.evacuation.Evacuations;
import io.storagecontroller.model.NodeId;
import io.storagecontroller.model.TenantId;
import io.temporal.spring.boot.ActivityImpl;
import java.util.List;
import org.springframework.stereotype.Component;

/** An evacuation's steps, each one call into the domain. */
@Component
@ActivityImpl(taskQueues = TaskQueues.CONTROLLER)
public class EvacuationActivitiesImpl implements EvacuationActivities {
  private final Evacuations evacuations;

  public EvacuationActivitiesImpl(Evacuations evacuations) {
    this.evacuations = evacuations;
  }

  @Override
  public EvacuationPlan plan(NodeId node, String workflowId) {
    Evacuations.Plan plan = evacuations.plan(node, workflowId);
    return new EvacuationPlan(plan.operationId(), plan.tenants());
  }

  @Override
  public int reconcileBatch(long operationId, List<TenantId> tenants) {
    return evacuations.reconcileBatch(operationId, tenants);
  }

  @Override
  public void finish(long operationId, long done) {
    evacuations.finish(operationId);
  }

  @Override
  public void abandon(NodeId node, String workflowId, String error) {
    evacuations.abandon(node, workflowId, error);
  }
}
