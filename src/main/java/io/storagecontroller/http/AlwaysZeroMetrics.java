package io.storagecontroller.http;

import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import io.prometheus.metrics.core.metrics.Counter;
import io.prometheus.metrics.core.metrics.Gauge;
import io.prometheus.metrics.core.metrics.Histogram;
import io.prometheus.metrics.model.registry.PrometheusRegistry;
import java.util.List;
import org.springframework.stereotype.Component;

/**
 * Families Neon's controller always declares but this one has nothing to put in: it manages no
 * safekeepers, and Hadron's config watcher, node-pool rotation, drain-and-fill waits, desired fleet
 * sizes and storage scrubber are not part of it (Neon declares the Hadron ones and never writes
 * them either). They are registered so that {@code /metrics} carries Neon's families, and a
 * dashboard, alert or test that reads one finds Neon's 0 rather than no series at all. Nothing
 * writes them; a feature that gives one a meaning takes it out of this class.
 *
 * <p>The families without labels, and {@code config_watcher_complete} with its four statuses (as
 * Neon's {@code init_all_dense}), are exported at 0. The labelled ones (safekeeper requests and
 * reconciles, scrubber outcomes) have no series to export: the Prometheus client writes no lines
 * for a family without series, so they are only reserved in the registry.
 */
@Component
public class AlwaysZeroMetrics {
  /** Neon's {@code ReconcileOutcome} labels, which its config watcher reuses. */
  static final List<String> CONFIG_WATCHER_STATUSES =
      List.of("ok", "ok_no_notify", "error", "cancel");

  public AlwaysZeroMetrics(PrometheusMeterRegistry prometheus) {
    PrometheusRegistry registry = prometheus.getPrometheusRegistry();
    gauge(registry, "storage_controller_safekeeper_nodes", "Safekeepers managed (none)");
    gauge(
        registry,
        "storage_controller_https_safekeeper_nodes",
        "Safekeepers managed with https configured (none)");
    Counter.builder()
        .name("storage_controller_safekeeper_request_error")
        .help("Failed safekeeper requests (none: no safekeepers are called)")
        .labelNames("safekeeper_id", "path", "method")
        .withoutExemplars()
        .register(registry);
    Histogram.builder()
        .name("storage_controller_safekeeper_request_latency")
        .help("Safekeeper request latency in seconds (none: no safekeepers are called)")
        .labelNames("safekeeper_id", "path", "method")
        .classicOnly()
        .classicUpperBounds(0.1, 0.2, 0.4, 0.8, 1.6)
        .withoutExemplars()
        .register(registry);
    Gauge.builder()
        .name("storage_controller_safekeeper_reconciles_queued")
        .help("Safekeeper reconciles queued, by safekeeper (none)")
        .labelNames("sk_az", "sk_node_id", "sk_hostname")
        .withoutExemplars()
        .register(registry);
    Counter.builder()
        .name("storage_controller_safekeeper_reconciles_complete")
        .help("Safekeeper reconciles completed, by safekeeper (none)")
        .labelNames("sk_az", "sk_node_id", "sk_hostname")
        .withoutExemplars()
        .register(registry);
    Counter configWatcher =
        Counter.builder()
            .name("storage_controller_config_watcher_complete")
            .help("[Hadron] config watcher runs completed, by status (no config watcher)")
            .labelNames("status")
            .withoutExemplars()
            .register(registry);
    CONFIG_WATCHER_STATUSES.forEach(configWatcher::initLabelValues);
    Counter.builder()
        .name("storage_controller_drain_and_fill_long_waits")
        .help("[Hadron] long waits for node state changes during drain and fill (never counted)")
        .withoutExemplars()
        .register(registry);
    gauge(
        registry,
        "storage_controller_ps_node_pool_rotation_pending",
        "[Hadron] 1 when a pageserver has a pending node pool rotation (never set)");
    Counter.builder()
        .name("storage_controller_storage_scrub_status")
        .help("[Hadron] storage scrubber outcomes (no scrubber)")
        .labelNames("tenant_id", "shard_number", "timeline_id", "outcome")
        .withoutExemplars()
        .register(registry);
    gauge(
        registry,
        "storage_controller_num_pageservers_desired",
        "[Hadron] desired number of pageservers (not managed)");
    gauge(
        registry,
        "storage_controller_num_safekeeper_desired",
        "[Hadron] desired number of safekeepers (not managed)");
  }

  private static void gauge(PrometheusRegistry registry, String name, String help) {
    Gauge.builder().name(name).help(help).withoutExemplars().register(registry);
  }
}
