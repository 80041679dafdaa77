package io.storagecontroller.workflows.node;

import io.storagecontroller.activities.TaskQueues;
import io.storagecontroller.activities.node.NodeDeletionActivities;
import io.storagecontroller.model.TenantId;
import io.storagecontroller.workflows.OperationSteps;
import io.temporal.failure.ActivityFailure;
import io.temporal.spring.boot.WorkflowImpl;
import io.temporal.workflow.Async;
import io.temporal.workflow.Promise;
import io.temporal.workflow.Workflow;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.slf4j.Logger;

/** See {@link NodeDeletionWorkflow}. */
@WorkflowImpl(taskQueues = TaskQueues.CONTROLLER)
public class NodeDeletionWorkflowImpl implements NodeDeletionWorkflow {
  /** Tenants per batch activity; with the window, Neon's 64 reconciles per operation. */
  static final int BATCH = 16;

  static final int WINDOW = 4;

  private static final Logger log = Workflow.getLogger(NodeDeletionWorkflowImpl.class);

  private final NodeDeletionActivities activities =
      OperationSteps.stub(NodeDeletionActivities.class, Duration.ofMinutes(5));

  private boolean cancelRequested;

  @Override
  public void run(NodeDeletionRequest request) {
    try {
      List<TenantId> tenants = activities.reschedule(request.nodeId());
      if (!request.force()) {
        reconcile(request, tenants);
      }
      finish(request, cancelRequested ? "cancelled" : "succeeded", null);
    } catch (ActivityFailure e) {
      String error = OperationSteps.reason(e);
      log.warn("deletion of node {} failed: {}", request.nodeId(), error);
      finish(request, "failed", error);
    }
  }

  @Override
  public void cancel() {
    cancelRequested = true;
  }

  private void reconcile(NodeDeletionRequest request, List<TenantId> tenants) {
    List<Promise<Integer>> window = new ArrayList<>();
    for (int from = 0; from < tenants.size() && !cancelRequested; from += BATCH) {
      List<TenantId> batch =
          new ArrayList<>(tenants.subList(from, Math.min(tenants.size(), from + BATCH)));
      window.add(Async.function(activities::reconcileBatch, request.operationId(), batch));
      if (window.size() >= WINDOW) {
        window.remove(0).get();
      }
    }
    window.forEach(Promise::get);
  }

  private void finish(NodeDeletionRequest request, String state, String error) {
    activities.finish(request.nodeId(), request.operationId(), state, error, request.before());
  }
}
