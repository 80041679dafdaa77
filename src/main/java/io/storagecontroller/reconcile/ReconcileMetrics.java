package io.storagecontroller.reconcile;

import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import io.prometheus.metrics.core.metrics.Counter;
import io.prometheus.metrics.core.metrics.Histogram;
import java.util.List;
import org.springframework.stereotype.Component;

/**
 * Reconcile metrics under Neon's names: spawned reconciles ({@code
 * storage_controller_reconcile_spawn}), completions by status ({@code ..._reconcile_complete}), and
 * beyond Neon the per-shard reconcile duration. (Generations issued are counted where they are
 * issued: the shard store.)
 */
@Component
public class ReconcileMetrics {
  /**
   * Neon's {@code ReconcileOutcome} labels. All four are exported from the start, at 0, as Neon's
   * {@code init_all_dense} does: a dashboard's rate of {@code cancel} or a test reading {@code
   * error} finds a series before the first such reconcile.
   */
  static final List<String> STATUSES = List.of("ok", "ok_no_notify", "error", "cancel");

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
    STATUSES.forEach(completed::initLabelValues);
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

  /** A shard's reconcile ended: {@code ok} when its pageservers match its intent, else error. */
  public void completed(boolean ok, double seconds) {
    completed.labelValues(ok ? "ok" : "error").inc();
    duration.observe(seconds);
  }

  /** A tenant's running reconcile was cancelled on request ({@code cancel}). */
  public void cancelled() {
    completed.labelValues("cancel").inc();
  }

  /**
   * A reconcile's pageserver work succeeded but the compute notification it owed was left pending
   * ({@code ok_no_notify}). Here the notification is a step of the tenant's reconcile after its
   * shards', so the shards were already counted {@code ok}: this counts, on top, each such round
   * whose notification the control plane did not take.
   */
  public void completedWithoutNotify() {
    completed.labelValues("ok_no_notify").inc();
  }
}
