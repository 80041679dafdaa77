package io.storagecontroller.reconcile;

import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import io.prometheus.metrics.core.metrics.Counter;
import io.prometheus.metrics.core.metrics.Histogram;
import org.springframework.stereotype.Component;

/**
 * Reconcile metrics under Neon's names: spawned reconciles ({@code
 * storage_controller_reconcile_spawn}), completions by status ({@code ..._reconcile_complete}: ok,
 * error), and beyond Neon the per-shard reconcile duration. (Generations issued are counted where
 * they are issued: the shard store.)
 */
@Component
public class ReconcileMetrics {
  private final Counter spawned;
  private final Counter completed;
  private final Histogram duration;

  public ReconcileMetrics(PrometheusMeterRegistry prometheus) {
    var registry = prometheus.getPrometheusRegistry();
    spawned =
        Counter.builder()
            .name("storage_controller_reconcile_spawn")
            .help("Reconcile workflows started or signalled")
            .withoutExemplars()
            .register(registry);
    completed =
        Counter.builder()
            .name("storage_controller_reconcile_complete")
            .help("Shard reconciles finished, by status")
            .labelNames("status")
            .withoutExemplars()
            .register(registry);
    duration =
        Histogram.builder()
            .name("storage_controller_reconcile_duration_seconds")
            .help("Duration of one shard's reconcile")
            .classicOnly()
            .classicUpperBounds(0.01, 0.05, 0.1, 0.5, 1, 5, 30, 120)
            .withoutExemplars()
            .register(registry);
  }

  public void spawned() {
    spawned.inc();
  }

  public void completed(boolean ok, double seconds) {
    completed.labelValues(ok ? "ok" : "error").inc();
    duration.observe(seconds);
  }
}
