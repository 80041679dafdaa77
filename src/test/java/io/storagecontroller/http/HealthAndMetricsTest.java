package io.storagecontroller.http;

import static org.assertj.core.api.Assertions.assertThat;

import io.storagecontroller.testing.ApiClient.Response;
import io.storagecontroller.testing.ControllerTest;
import java.util.Map;
import org.junit.jupiter.api.Test;

class HealthAndMetricsTest extends ControllerTest {
  @Test
  void statusAndReadyAnswerNull() {
    Response status = api.get("/status");
    assertThat(status.status()).isEqualTo(200);
    assertThat(status.body()).isEqualTo("null");
    Response ready = api.get("/ready");
    assertThat(ready.status()).isEqualTo(200);
    assertThat(ready.body()).isEqualTo("null");
  }

  @Test
  void everyResponseCarriesARequestId() {
    assertThat(api.get("/status").header("x-request-id")).isNotBlank();
    assertThat(api.get("/no/such/route").header("x-request-id")).isNotBlank();
    Response echoed = api.send("GET", "/status", null, Map.of("x-request-id", "abc-123"));
    assertThat(echoed.header("x-request-id")).isEqualTo("abc-123");
  }

  @Test
  void unsafeRequestIdIsReplaced() {
    Response r = api.send("GET", "/status", null, Map.of("x-request-id", "a b\tc"));
    assertThat(r.header("x-request-id")).isNotEqualTo("a b\tc").isNotBlank();
  }

  @Test
  void metricsUseNeonNamesPerRoute() {
    api.get("/control/v1/node");
    api.get("/control/v1/node/424242");
    api.get("/control/v1/operations");
    Response metrics = api.get("/metrics");
    assertThat(metrics.status()).isEqualTo(200);
    assertThat(metrics.header("Content-Type")).startsWith("text/plain");
    assertThat(metrics.body())
        .contains(
            "storage_controller_http_request_status_total{method=\"get\",path=\"control_v1_node\",status=\"200\"}")
        .contains(
            "storage_controller_http_request_status_total{method=\"get\",path=\"control_v1_node_status\",status=\"404\"}")
        .contains(
            "storage_controller_http_request_latency_bucket{method=\"get\",path=\"control_v1_node\",le=\"0.1\"}")
        .contains(
            "storage_controller_http_request_latency_bucket{method=\"get\",path=\"control_v1_node\",le=\"1.6\"}")
        .contains(
            "storage_controller_database_query_latency_bucket{operation=\"list_operations\",le=\"0.01\"}")
        .contains("storage_controller_database_query_latency_count{operation=\"list_operations\"}")
        .contains("storage_controller_pageserver_nodes")
        .contains("storage_controller_https_pageserver_nodes")
        .contains("storage_controller_schedule_az_violation")
        .contains("storage_controller_tenant_shards")
        .contains("storage_controller_pending_reconciles")
        .contains("storage_controller_reconcile_spawn_total")
        .contains("storage_controller_generation_increment_total")
        .doesNotContain("attachment_service");
  }
}
