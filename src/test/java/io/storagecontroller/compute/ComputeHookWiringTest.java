package io.storagecontroller.compute;

import static org.assertj.core.api.Assertions.assertThat;

import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import io.storagecontroller.model.TenantId;
import io.storagecontroller.testing.ControllerTest;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;

/** The hook as the application builds it: dev mode (the tests set no control-plane URL). */
class ComputeHookWiringTest extends ControllerTest {
  @Autowired ComputeNotifications notifications;
  @Autowired PrometheusMeterRegistry prometheus;

  @Test
  void theApplicationHasAHookAndItsMetrics() {
    assertThat(notifications.hook().devMode()).isTrue();
    ComputeHookSettings settings = notifications.hook().settings();
    assertThat(settings.concurrency()).isEqualTo(ComputeHookSettings.NEON_CONCURRENCY);
    assertThat(settings.requestTimeout()).isEqualTo(Duration.ofSeconds(10));
    assertThat(settings.maxAttempts()).isEqualTo(10);
    assertThat(settings.budget()).isEqualTo(ComputeHookSettings.DEFAULT_BUDGET);
    assertThat(notifications.notifyOrMarkPending(TenantId.generate())).isTrue();
    assertThat(
            prometheus.getPrometheusRegistry().scrape().stream()
                .map(s -> s.getMetadata().getPrometheusName()))
        .contains(
            "storage_controller_compute_hook_requests",
            "storage_controller_compute_hook_request_latency");
  }
}
