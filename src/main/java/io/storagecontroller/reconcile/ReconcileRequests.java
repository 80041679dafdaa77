package io.storagecontroller.reconcile;

import io.storagecontroller.model.TenantId;
import java.time.Duration;

/**
 * Asks for a tenant's reconcile: whoever changes an intent calls this, and the orchestration layer
 * runs (or re-runs) the tenant's one reconcile workflow. Never more than one run per tenant.
 */
public interface ReconcileRequests {
  void request(TenantId tenant);

  /**
   * True if a reconcile of the tenant was requested less than {@code window} ago: it is probably
   * still running, and asking again would only queue more work behind it.
   */
  boolean requestedWithin(TenantId tenant, Duration window);

  /** Forgets requests older than {@code window}, so the record stays as small as the churn. */
  void forgetOlderThan(Duration window);
}
