package io.storagecontroller.reconcile;

import static org.assertj.core.api.Assertions.assertThat;
import static org.mockito.ArgumentMatchers.anyString;
import static org.mockito.Mockito.doThrow;
import static org.mockito.Mockito.mock;
import static org.mockito.Mockito.when;

import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import io.storagecontroller.activities.reconcile.ReconcileActivitiesImpl;
import io.storagecontroller.compute.ComputeNotifications;
import io.storagecontroller.failpoint.Failpoints;
import io.storagecontroller.model.TenantId;
import io.storagecontroller.orchestration.Reconciles;
import io.storagecontroller.orchestration.WorkflowStubs;
import io.temporal.client.WorkflowClient;
import io.temporal.client.WorkflowStub;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * Neon's {@code storage_controller_reconcile_complete_total{status}}: its four statuses are
 * exported at 0 from the start, a cancelled reconcile counts {@code cancel}, and one whose compute
 * notification was left pending counts {@code ok_no_notify}.
 */
class ReconcileCompleteStatusTest {
  private final PrometheusMeterRegistry registry =
      new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
  private final ReconcileMetrics metrics = new ReconcileMetrics(registry);

  private void assertCount(String status, int count) {
    assertThat(registry.scrape())
        .contains(
            "storage_controller_reconcile_complete_total{status=\""
                + status
                + "\"} "
                + count
                + ".0");
  }

  @Test
  void everyStatusIsExportedAtZeroFromTheStart() {
    for (String status : List.of("ok", "ok_no_notify", "error", "cancel")) {
      assertCount(status, 0);
    }
  }

  @Test
  void aCancelledReconcileCountsCancel() {
    WorkflowClient client = mock(WorkflowClient.class);
    WorkflowStub running = mock(WorkflowStub.class);
    WorkflowStub finished = mock(WorkflowStub.class);
    doThrow(new IllegalStateException("not running")).when(finished).cancel();
    TenantId busy = TenantId.generate();
    TenantId idle = TenantId.generate();
    when(client.newUntypedWorkflowStub(anyString()))
        .thenAnswer(
            call -> ((String) call.getArgument(0)).contains(busy.toString()) ? running : finished);
    Reconciles reconciles = new Reconciles(WorkflowStubs.untagged(client), metrics);

    assertThat(reconciles.cancel(busy)).isTrue();
    assertThat(reconciles.cancel(idle)).isFalse();

    assertCount("cancel", 1);
    assertCount("ok", 0);
  }

  @Test
  void aReconcileWhoseNotificationWasLeftPendingCountsOkNoNotify() {
    ComputeNotifications notifications = mock(ComputeNotifications.class);
    TenantId delivered = TenantId.generate();
    TenantId pending = TenantId.generate();
    when(notifications.notifyOrMarkPending(delivered)).thenReturn(true);
    when(notifications.notifyOrMarkPending(pending)).thenReturn(false);
    ReconcileActivitiesImpl activities =
        new ReconcileActivitiesImpl(
            mock(ShardReconciler.class), notifications, mock(Failpoints.class), metrics);

    activities.notifyCompute(delivered);
    activities.notifyCompute(pending);

    assertCount("ok_no_notify", 1);
  }
}
