package io.storagecontroller.reconcile;

import io.storagecontroller.activities.TaskQueues;
import io.storagecontroller.model.TenantId;
import io.storagecontroller.workflows.reconcile.ReconcileWorkflow;
import io.temporal.api.enums.v1.WorkflowIdReusePolicy;
import io.temporal.client.BatchRequest;
import io.temporal.client.WorkflowClient;
import io.temporal.client.WorkflowException;
import io.temporal.client.WorkflowNotFoundException;
import io.temporal.client.WorkflowOptions;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.stereotype.Component;

/**
 * Asks for a tenant's reconcile: signal-with-start of {@code reconcile/<tenant_id>}, so a running
 * reconcile goes round again and an idle tenant gets a new run. Never more than one run per tenant.
 */
@Component
public class ReconcileTrigger {
  private static final Logger log = LoggerFactory.getLogger(ReconcileTrigger.class);

  private final WorkflowClient client;
  private final ReconcileMetrics metrics;

  public ReconcileTrigger(WorkflowClient client, ReconcileMetrics metrics) {
    this.client = client;
    this.metrics = metrics;
  }

  public void request(TenantId tenant) {
    String tenantId = tenant.toString();
    ReconcileWorkflow workflow =
        client.newWorkflowStub(
            ReconcileWorkflow.class,
            WorkflowOptions.newBuilder()
                .setTaskQueue(TaskQueues.CONTROLLER)
                .setWorkflowId(ReconcileWorkflow.workflowId(tenantId))
                .setWorkflowIdReusePolicy(
                    WorkflowIdReusePolicy.WORKFLOW_ID_REUSE_POLICY_ALLOW_DUPLICATE)
                .build());
    for (int attempt = 1; ; attempt++) {
      try {
        BatchRequest request = client.newSignalWithStartRequest();
        request.add(workflow::reconcile, tenantId);
        request.add(workflow::intentChanged);
        client.signalWithStart(request);
        break;
      } catch (WorkflowException e) {
        // The SDK's in-process service refuses signal-with-start while the workflow runs
        // (sdk-java#2321); signalling the running workflow is the same thing.
        try {
          client
              .newWorkflowStub(ReconcileWorkflow.class, ReconcileWorkflow.workflowId(tenantId))
              .intentChanged();
          break;
        } catch (WorkflowNotFoundException finished) {
          if (attempt >= 3) {
            throw e;
          }
          // It finished in between: signal-with-start again.
        }
      }
    }
    metrics.spawned();
    log.debug("reconcile requested for tenant {}", tenantId);
  }
}
