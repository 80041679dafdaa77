package io.storagecontroller.reconcile;

import io.storagecontroller.model.TenantId;

/**
 * Asks for a tenant's reconcile: whoever changes an intent calls this, and the orchestration layer
 * runs (or re-runs) the tenant's one reconcile workflow. Never more than one run per tenant.
 */
public interface ReconcileRequests {
  void request(TenantId tenant);
}
