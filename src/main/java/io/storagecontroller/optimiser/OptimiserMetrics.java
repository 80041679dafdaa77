package io.storagecontroller.optimiser;

import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import io.prometheus.metrics.core.metrics.Counter;
import io.prometheus.metrics.core.metrics.Gauge;
import org.springframework.stereotype.Component;

/**
 * The optimiser's metrics: Neon's {@code storage_controller_schedule_optimization} (optimisations
 * applied) and, beyond Neon, optimisations planned by reason, migrations running, migrations done
 * by outcome and whether an operator paused it. Per-node attached and total shard counts are the
 * fleet's ({@code storage_controller_node_attached_shards}, {@code ..._node_shards}).
 */
@Component
public class OptimiserMetrics {
  private final Counter applied;
  private final Counter planned;
  private final Gauge running;
  private final Counter done;
  private final Gauge paused;

  public OptimiserMetrics(PrometheusMeterRegistry prometheus) {
    var registry = prometheus.getPrometheusRegistry();
    applied =
        Counter.builder()
            .name("storage_controller_schedule_optimization")
            .help("Optimisations applied: migrations begun and surplus secondaries removed")
            .withoutExemplars()
            .register(registry);
    planned =
        Counter.builder()
            .name("storage_controller_optimiser_planned")
            .help("Optimisations planned, by reason")
            .labelNames("reason")
            .withoutExemplars()
            .register(registry);
    running =
        Gauge.builder()
            .name("storage_controller_optimiser_running")
            .help("Optimiser migrations in flight")
            .withoutExemplars()
            .register(registry);
    done =
        Counter.builder()
            .name("storage_controller_optimiser_done")
            .help("Optimiser migrations finished, by outcome (completed, reverted, failed)")
            .labelNames("outcome")
            .withoutExemplars()
            .register(registry);
    paused =
        Gauge.builder()
            .name("storage_controller_optimiser_paused")
            .help("1 while an operator has paused the optimiser")
            .withoutExemplars()
            .register(registry);
  }

  void planned(String reason) {
    planned.labelValues(reason).inc();
  }

  void applied(int count) {
    applied.inc(count);
  }

  void running(long count) {
    running.set(count);
  }

  void done(long completed, long reverted, long failed) {
    done.labelValues("completed").inc(completed);
    done.labelValues("reverted").inc(reverted);
    done.labelValues("failed").inc(failed);
  }

  void paused(boolean value) {
    paused.set(value ? 1 : 0);
  }
}
