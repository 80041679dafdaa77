package io.storagecontroller.workflows.reconcile;

import io.storagecontroller.model.TenantId;
import io.temporal.workflow.SignalMethod;
import io.temporal.workflow.WorkflowInterface;
import io.temporal.workflow.WorkflowMethod;

/**
 * Makes one tenant's pageservers match its intent; id {@code reconcile/<tenant_id>}, so there is
 * one writer per tenant. Started with signal-with-start: an intent change that arrives while a run
 * is finishing is a signal that makes it go round once more, never a lost update.
 */
@WorkflowInterface
public interface ReconcileWorkflow {
  String ID_PREFIX = "reconcile/";

  static String workflowId(TenantId tenantId) {
    return ID_PREFIX + tenantId;
  }

  @WorkflowMethod
  void reconcile(TenantId tenantId);

  @SignalMethod
  void intentChanged();
}
