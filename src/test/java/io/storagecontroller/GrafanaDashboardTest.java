package io.storagecontroller;

import static org.assertj.core.api.Assertions.assertThat;

import com.networknt.schema.Schema;
import com.networknt.schema.SchemaLocation;
import com.networknt.schema.SchemaRegistry;
import com.networknt.schema.SpecificationVersion;
import io.temporal.worker.MetricsType;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.lang.reflect.Field;
import java.lang.reflect.Modifier;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.dataformat.yaml.YAMLMapper;

/**
 * The operators' dashboard (deploy/grafana) without a Grafana: it follows Grafana's dashboard
 * schema (vendored under src/test/resources/grafana), its queries name only metrics the controller
 * exports, and the provisioning files, prometheus.yml and docker-compose.yml point at each other.
 */
class GrafanaDashboardTest {
  static final Path ROOT = Path.of("").toAbsolutePath();
  static final Path DASHBOARDS = ROOT.resolve("deploy/grafana/dashboards");
  static final Path PROVISIONING = ROOT.resolve("deploy/grafana/provisioning");
  static final JsonNode DASHBOARD =
      JsonMapper.builder().build().readTree(DASHBOARDS.resolve("storage-controller.json").toFile());
  static final JsonNode SERVICES = ComposeFileTest.SERVICES;

  /**
   * The metrics the dashboard may query, as /metrics exposes them. Each was seen on a running
   * controller ({@code bin/storage_controller demo}, with {@code --control-plane-url} for the
   * compute hook's), and {@link #everyMetricIsRegisteredByTheController} traces each to its
   * registration, so that renaming one fails this test. A new panel's metric goes here, checked the
   * same way.
   */
  static final Set<String> EXPORTED =
      Set.of(
          "storage_controller_node_shards",
          "storage_controller_node_attached_shards",
          "storage_controller_pageserver_nodes",
          "storage_controller_tenant_shards",
          "storage_controller_reconcile_spawn_total",
          "storage_controller_reconcile_complete_total",
          "storage_controller_reconcile_duration_seconds_bucket",
          "storage_controller_reconciles_running",
          "storage_controller_reconciles_waiting",
          "storage_controller_pending_reconciles",
          "storage_controller_stuck_reconciles",
          "storage_controller_compute_hook_requests_total",
          "storage_controller_compute_hook_request_latency_bucket",
          "storage_controller_http_request_status_total",
          "storage_controller_http_request_latency_bucket",
          "storage_controller_http_request_cpu_seconds_total",
          "storage_controller_pageserver_request_error_total",
          "storage_controller_pageserver_request_latency_bucket",
          "storage_controller_leadership_status",
          "storage_controller_fenced_transactions_total",
          "storage_controller_operations_running",
          // The Temporal SDK's worker metrics, which the controller exports through Micrometer.
          "temporal_workflow_completed_total",
          "temporal_workflow_failed_total",
          "temporal_workflow_canceled_total");

  static JsonNode yaml(Path file) {
    return YAMLMapper.builder().build().readTree(file.toFile());
  }

  /** Every panel, those inside rows included. */
  static List<JsonNode> panels() {
    List<JsonNode> panels = new ArrayList<>();
    for (JsonNode panel : DASHBOARD.get("panels")) {
      panels.add(panel);
      panel.path("panels").forEach(panels::add);
    }
    return panels;
  }

  static List<String> expressions() {
    List<String> expressions = new ArrayList<>();
    for (JsonNode panel : panels()) {
      panel.path("targets").forEach(t -> expressions.add(t.get("expr").asString()));
    }
    return expressions;
  }

  /**
   * The metric names in a PromQL expression: what is left once strings, label matchers, ranges and
   * label lists are removed, less function names (followed by a parenthesis) and operators.
   */
  static Set<String> metricNames(String expression) {
    String bare =
        expression
            .replaceAll("\"(?:[^\"\\\\]|\\\\.)*\"", "")
            .replaceAll("\\{[^}]*}", "")
            .replaceAll("\\[[^]]*]", "")
            .replaceAll("\\b(?:by|without|on|ignoring|group_left|group_right)\\s*\\([^)]*\\)", "");
    Set<String> operators = Set.of("and", "or", "unless", "bool", "offset", "atan2");
    Set<String> names = new HashSet<>();
    Matcher m = Pattern.compile("(?<![\\w:.])[a-zA-Z_:][\\w:]*+(?!\\s*\\()").matcher(bare);
    while (m.find()) {
      if (!operators.contains(m.group())) {
        names.add(m.group());
      }
    }
    return names;
  }

  @Test
  void followsGrafanasDashboardSchema() {
    Schema schema =
        SchemaRegistry.withDefaultDialect(SpecificationVersion.DRAFT_7)
            .getSchema(SchemaLocation.of("classpath:grafana/dashboard.jsonschema.json"));
    assertThat(schema.validate(DASHBOARD)).isEmpty();
    // And the schema does catch a mistake, e.g. a misspelt panel key.
    JsonNode misspelt =
        JsonMapper.builder()
            .build()
            .readTree(
                "{\"schemaVersion\": 42, \"templating\": {}, \"annotations\": {},"
                    + " \"panels\": [{\"type\": \"timeseries\", \"titel\": \"x\"}]}");
    assertThat(schema.validate(misspelt)).isNotEmpty();
  }

  @Test
  void metricNamesAreReadFromPromQl() {
    assertThat(
            metricNames(
                "histogram_quantile(0.99, sum by (le, path) (rate(a_bucket{path=~\"x|y\"}[5m])))"
                    + " * on (instance) group_left () (b{status=\"leader\"} == 1) + c_total"))
        .containsExactlyInAnyOrder("a_bucket", "b", "c_total");
  }

  @Test
  void everyQueryNamesOnlyMetricsTheControllerExports() {
    List<String> expressions = expressions();
    assertThat(expressions).hasSizeGreaterThan(10);
    Set<String> used = new HashSet<>();
    for (String expression : expressions) {
      Set<String> names = metricNames(expression);
      assertThat(names).as(expression).isNotEmpty().isSubsetOf(EXPORTED);
      used.addAll(names);
    }
    // The panels an on-call engineer looks at first are there.
    assertThat(used)
        .contains(
            "storage_controller_node_attached_shards",
            "storage_controller_reconcile_complete_total",
            "storage_controller_stuck_reconciles",
            "storage_controller_pending_reconciles",
            "storage_controller_compute_hook_requests_total",
            "storage_controller_http_request_latency_bucket",
            "storage_controller_pageserver_request_error_total",
            "storage_controller_leadership_status",
            "storage_controller_fenced_transactions_total",
            "storage_controller_operations_running",
            "temporal_workflow_failed_total");
  }

  /**
   * The controller's own metrics are registered by name as a string literal in src/main/java
   * (without the _total, _bucket suffixes the exposition adds); the Temporal SDK's are its
   * MetricsType constants.
   */
  @Test
  void everyMetricIsRegisteredByTheController() throws Exception {
    String sources;
    try (Stream<Path> files = Files.walk(ROOT.resolve("src/main/java"))) {
      StringBuilder all = new StringBuilder();
      files
          .filter(f -> f.toString().endsWith(".java"))
          .forEach(
              f -> {
                try {
                  all.append(Files.readString(f));
                } catch (IOException e) {
                  throw new UncheckedIOException(e);
                }
              });
      sources = all.toString();
    }
    Set<String> temporal = new HashSet<>();
    for (Field field : MetricsType.class.getFields()) {
      if (Modifier.isStatic(field.getModifiers()) && field.getType() == String.class) {
        temporal.add((String) field.get(null));
      }
    }
    for (String exported : EXPORTED) {
      String registered = exported.replaceAll("_(total|bucket|count|sum)$", "");
      if (exported.startsWith("temporal_")) {
        assertThat(temporal).as("Temporal SDK metric %s", exported).contains(registered);
      } else {
        assertThat(sources).as("registration of %s", exported).contains('"' + registered + '"');
      }
    }
  }

  @Test
  void panelsUseTheProvisionedDatasource() {
    JsonNode datasource =
        yaml(PROVISIONING.resolve("datasources/prometheus.yml")).get("datasources").get(0);
    String uid = datasource.get("uid").asString();
    assertThat(datasource.get("type").asString()).isEqualTo("prometheus");
    for (JsonNode panel : panels()) {
      if (panel.get("type").asString().equals("row")) {
        continue;
      }
      assertThat(panel.at("/datasource/uid").asString()).as(panel.toString()).isEqualTo(uid);
      for (JsonNode target : panel.get("targets")) {
        assertThat(target.at("/datasource/uid").asString()).as(target.toString()).isEqualTo(uid);
      }
    }
    // The datasource is the compose file's prometheus, on the port it listens on.
    URI url = URI.create(datasource.get("url").asString());
    assertThat(SERVICES.has(url.getHost())).as("service %s", url.getHost()).isTrue();
    assertThat(ComposeFileTest.strings(SERVICES.get(url.getHost()).get("ports")))
        .anyMatch(p -> p.endsWith(":" + url.getPort()));
  }

  /** The container path a host directory or file of the repository is mounted at, read-only. */
  static String mountedAt(String service, Path host) {
    for (String volume : ComposeFileTest.strings(SERVICES.get(service).get("volumes"))) {
      String[] parts = volume.split(":");
      if (parts[0].startsWith(".") && ROOT.resolve(parts[0]).normalize().equals(host)) {
        assertThat(parts).as(volume).hasSize(3);
        assertThat(parts[2]).as(volume).isEqualTo("ro");
        return parts[1];
      }
    }
    throw new AssertionError(host + " is not mounted in " + service);
  }

  @Test
  void provisioningPointsAtTheMountedDashboards() {
    // Grafana reads its provisioning from /etc/grafana/provisioning.
    assertThat(mountedAt("grafana", PROVISIONING)).isEqualTo("/etc/grafana/provisioning");
    String dashboards = mountedAt("grafana", DASHBOARDS);
    JsonNode provider =
        yaml(PROVISIONING.resolve("dashboards/storage-controller.yml")).get("providers").get(0);
    assertThat(provider.get("type").asString()).isEqualTo("file");
    assertThat(provider.at("/options/path").asString()).isEqualTo(dashboards);
    assertThat(
            SERVICES
                .at("/grafana/environment/GF_DASHBOARDS_DEFAULT_HOME_DASHBOARD_PATH")
                .asString())
        .isEqualTo(dashboards + "/storage-controller.json");
    assertThat(DASHBOARD.get("uid").asString()).isNotBlank();
  }

  @Test
  void prometheusScrapesBothControllersOnTheirListenPort() {
    Path config = ROOT.resolve("deploy/prometheus/prometheus.yml");
    // The image's default --config.file.
    assertThat(mountedAt("prometheus", config)).isEqualTo("/etc/prometheus/prometheus.yml");
    JsonNode job = yaml(config).get("scrape_configs").get(0);
    assertThat(job.get("metrics_path").asString()).isEqualTo("/metrics");
    List<String> expected = new ArrayList<>();
    for (String controller : List.of("storage-controller", "storage-controller-next")) {
      List<String> command = ComposeFileTest.strings(SERVICES.get(controller).get("command"));
      expected.add(controller + ":" + ComposeFileTest.flag(command, "--listen").split(":")[1]);
    }
    assertThat(ComposeFileTest.strings(job.at("/static_configs/0/targets")))
        .containsExactlyInAnyOrderElementsOf(expected);
  }
}
