package io.storagecontroller.http;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import io.prometheus.metrics.model.snapshots.CounterSnapshot;
import io.prometheus.metrics.model.snapshots.GaugeSnapshot;
import io.prometheus.metrics.model.snapshots.HistogramSnapshot;
import io.prometheus.metrics.model.snapshots.MetricSnapshot;
import io.storagecontroller.testing.ApiClient.Response;
import io.storagecontroller.testing.ControllerProcess;
import io.storagecontroller.testing.ControllerTest;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;

class HealthAndMetricsTest extends ControllerTest {
  @Autowired PrometheusMeterRegistry prometheus;

  @Test
  void statusAndReadyAnswerNull() {
    Response status = api.get("/status");
    assertThat(status.status()).isEqualTo(200);
    assertThat(status.body()).isEqualTo("null");
    // Ready once the start-up reconcile is done, which may still be under way when this class is
    // the first to use the application context.
    ControllerProcess.await(
        Duration.ofSeconds(30), () -> api.get("/ready").status() == 200, "controller ready");
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
            "storage_controller_database_query_latency_bucket{operation=\"list_operations\",le=\"0.1\"}")
        .contains(
            "storage_controller_database_query_latency_bucket{operation=\"list_operations\",le=\"1.6\"}")
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

  /**
   * The families whose shape was brought to Neon's: database latency with Neon's buckets and no
   * {@code _max} family, the four reconcile outcomes from the start, the stuck reconciles, and the
   * families Neon always exports at 0 (safekeepers, Hadron).
   */
  @Test
  void eachRouteCountsTheCpuItsHandlerSpent() {
    api.get("/control/v1/node");
    Matcher cpu =
        Pattern.compile(
                "storage_controller_http_request_cpu_seconds_total\\{method=\"get\","
                    + "path=\"control_v1_node\"\\} (\\S+)")
            .matcher(api.get("/metrics").body());
    assertThat(cpu.find()).as("the node list's CPU series").isTrue();
    assertThat(Double.parseDouble(cpu.group(1))).isGreaterThan(0);
  }

  @Test
  void springsOwnRequestObservationsAreOff() {
    api.get("/control/v1/node");
    String body = api.get("/metrics").body();
    // Neon's families measure the API; Spring's per-request and per-security-filter observations
    // are switched off (they cost CPU on every request).
    assertThat(body)
        .contains("storage_controller_http_request_latency")
        .doesNotContain("http_server_requests")
        .doesNotContain("spring_security_");
  }

  @Test
  void metricsHaveNeonsShape() {
    api.get("/control/v1/node");
    String body = api.get("/metrics").body();
    assertThat(body)
        .contains("# TYPE storage_controller_database_query_latency histogram")
        .doesNotContain("storage_controller_database_query_latency_max")
        .doesNotContainPattern("storage_controller_database_query_latency_bucket\\{[^}]*le=\"0\\.0")
        .contains("# TYPE storage_controller_reconcile_complete_total counter")
        .contains("# TYPE storage_controller_stuck_reconciles gauge")
        .containsPattern("(?m)^storage_controller_stuck_reconciles \\d")
        .contains("# TYPE storage_controller_pending_reconciles gauge")
        .containsPattern("(?m)^storage_controller_pending_reconciles \\d")
        .contains("# TYPE storage_controller_config_watcher_complete_total counter");
    for (String status : List.of("ok", "ok_no_notify", "error", "cancel")) {
      assertThat(body)
          .contains("storage_controller_reconcile_complete_total{status=\"" + status + "\"}")
          .contains(
              "storage_controller_config_watcher_complete_total{status=\"" + status + "\"} 0.0");
    }
    for (String gauge :
        List.of(
            "storage_controller_safekeeper_nodes",
            "storage_controller_https_safekeeper_nodes",
            "storage_controller_ps_node_pool_rotation_pending",
            "storage_controller_num_pageservers_desired",
            "storage_controller_num_safekeeper_desired")) {
      assertThat(body).contains("# TYPE " + gauge + " gauge").contains("\n" + gauge + " 0.0\n");
    }
    assertThat(body)
        .contains("# TYPE storage_controller_drain_and_fill_long_waits_total counter")
        .contains("\nstorage_controller_drain_and_fill_long_waits_total 0.0\n");
  }

  /**
   * Neon's shared library families: the build (git commit and version), peak RSS, disk I/O, the
   * scrape counter (one more per scrape), and the standard process collector's families on Linux.
   */
  @Test
  void metricsCarryNeonsLibraryAndProcessFamilies() {
    String first = api.get("/metrics").body();
    String second = api.get("/metrics").body();
    assertThat(second)
        .contains("# TYPE libmetrics_build_info gauge")
        .containsPattern(
            "(?m)^libmetrics_build_info\\{build_tag=\"[^\"]+\",revision=\"[^\"]+\"\\} 1(\\.0)?$")
        .contains("# TYPE libmetrics_serve_count_total counter")
        .contains("# TYPE process_cpu_seconds_total counter")
        .containsPattern("(?m)^process_open_fds [1-9]")
        .containsPattern("(?m)^process_max_fds [1-9]")
        .containsPattern("(?m)^process_resident_memory_bytes [1-9]")
        .containsPattern("(?m)^process_virtual_memory_bytes [1-9]")
        .containsPattern("(?m)^process_threads [1-9]")
        .containsPattern("(?m)^libmetrics_maxrss_kb [1-9]")
        .contains("libmetrics_disk_io_bytes_total{io_operation=\"read\"}")
        .contains("libmetrics_disk_io_bytes_total{io_operation=\"write\"}")
        .containsOnlyOnce("# TYPE process_start_time_seconds gauge");
    assertThat(served(second)).isEqualTo(served(first) + 1);
  }

  private static double served(String metrics) {
    Matcher m = Pattern.compile("(?m)^libmetrics_serve_count_total (\\S+)$").matcher(metrics);
    assertThat(m.find()).as("libmetrics_serve_count_total in %s", metrics).isTrue();
    return Double.parseDouble(m.group(1));
  }

  /**
   * Every {@code storage_controller_*} family of the contract's metrics table (section 7) is
   * registered, with the contract's type. Families with labels and no series yet (the safekeeper
   * ones, say) print nothing on {@code /metrics}, so the registry is asked rather than the page.
   */
  @Test
  void everyFamilyOfTheContractIsRegisteredWithItsType() throws IOException {
    Optional<Path> contract =
        Stream.of("../shared/contract/neon-api.md", "../../shared/contract/neon-api.md")
            .map(Path::of)
            .filter(Files::isRegularFile)
            .findFirst();
    assumeTrue(contract.isPresent(), "shared/contract/neon-api.md is not beside the repository");
    Map<String, String> types = contractFamilies(contract.get());
    assertThat(types).hasSizeGreaterThanOrEqualTo(35);
    Map<String, String> registered = new HashMap<>();
    for (MetricSnapshot m : prometheus.getPrometheusRegistry().scrape()) {
      String type =
          m instanceof CounterSnapshot
              ? "counter"
              : m instanceof GaugeSnapshot
                  ? "gauge"
                  : m instanceof HistogramSnapshot ? "histogram" : m.getClass().getSimpleName();
      registered.put(m.getMetadata().getName(), type);
    }
    types.forEach((name, type) -> assertThat(registered).as(name).containsEntry(name, type));
  }

  /** Name to type, from the rows of section 7 that name {@code storage_controller_} families. */
  private static Map<String, String> contractFamilies(Path contract) throws IOException {
    Map<String, String> families = new HashMap<>();
    boolean inMetrics = false;
    Pattern name = Pattern.compile("`(storage_controller_[a-z_]+)`");
    for (String line : Files.readAllLines(contract)) {
      if (line.startsWith("## ")) {
        inMetrics = line.startsWith("## 7.");
      }
      if (!inMetrics || !line.startsWith("|")) {
        continue;
      }
      String[] cells = line.split("\\|");
      if (cells.length < 3) {
        continue;
      }
      String type = cells[2].trim().split("[ ,(]")[0];
      Matcher names = name.matcher(cells[1]);
      while (names.find()) {
        families.put(names.group(1), type);
      }
    }
    return families;
  }
}
