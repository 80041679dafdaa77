package io.storagecontroller.orchestration;

import io.storagecontroller.model.TenantId;
import io.storagecontroller.reconcile.ReconcileMetrics;
import io.storagecontroller.reconcile.ReconcileRequests;
import io.storagecontroller.workflows.reconcile.ReconcileWorkflow;
import io.temporal.client.BatchRequest;
import io.temporal.client.WorkflowClient;
import io.temporal.client.WorkflowException;
import io.temporal.client.WorkflowNotFoundException;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.stereotype.Component;

/**
 * Asks for a tenant's reconcile: signal-with-start of {@code reconcile/<tenant_id>}, so a running
 * reconcile goes round again and an idle tenant gets a new run. Never more than one run per tenant.
 */
@Component
public class Reconciles implements ReconcileRequests {
  private static final Logger log = LoggerFactory.getLogger(Reconciles.class);

  /** How its workflows are tagged: a reconcile is not an operation of the operations API. */
  static final String KIND = "reconcile";

  private final WorkflowStubs stubs;
  private final WorkflowClient client;
  private final ReconcileMetrics metrics;

  /**
   * When each tenant's reconcile was last asked for (System.nanoTime). Entries older than any
   * window the sweep asks about are dropped by {@link #forgetOlderThan}.
   */
  private final Map<TenantId, Long> requestedAt = new ConcurrentHashMap<>();

  public Reconciles(WorkflowStubs stubs, ReconcileMetrics metrics) {
    this.stubs = stubs;
    this.client = stubs.client();
    this.metrics = metrics;
  }

  @Override
  public void request(TenantId tenant) {
    ReconcileWorkflow workflow =
        stubs.of(
            ReconcileWorkflow.class,
            ReconcileWorkflow.workflowId(tenant),
            WorkflowTags.of(KIND).tenant(tenant));
    for (int attempt = 1; ; attempt++) {
      try {
        BatchRequest request = client.newSignalWithStartRequest();
        request.add(workflow::reconcile, tenant);
        request.add(workflow::intentChanged);
        client.signalWithStart(request);
        break;
      } catch (WorkflowException e) {
        // The SDK's in-process service refuses signal-with-start while the workflow runs
        // (sdk-java#2321); signalling the running workflow is the same thing.
        try {
          client
              .newWorkflowStub(ReconcileWorkflow.class, ReconcileWorkflow.workflowId(tenant))
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
    requestedAt.put(tenant, System.nanoTime());
    metrics.spawned();
    log.debug("reconcile requested for tenant {}", tenant);
  }

  /**
   * Neon's {@code cancel_reconcile}: asks the tenant's reconcile workflow to stop after its current
   * step. Nothing is lost: a shard it did not finish stays dirty and the next sweep asks again.
   * Returns whether a reconcile was running; if so it counts as Neon's {@code cancel} outcome.
   */
  public boolean cancel(TenantId tenant) {
    try {
      client.newUntypedWorkflowStub(ReconcileWorkflow.workflowId(tenant)).cancel();
      metrics.cancelled();
      log.info("reconcile of tenant {} cancelled on request", tenant);
      return true;
    } catch (WorkflowNotFoundException | IllegalStateException notRunning) {
      return false;
    }
  }

  @Override
  public boolean requestedWithin(TenantId tenant, Duration window) {
    Long at = requestedAt.get(tenant);
    return at != null && System.nanoTime() - at < window.toNanos();
  }

  @Override
  public void forgetOlderThan(Duration window) {
    long oldest = System.nanoTime() - window.toNanos();
    requestedAt.values().removeIf(at -> at - oldest < 0);
  }
}
