package io.storagecontroller.reconcile;

import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import io.prometheus.metrics.core.metrics.Counter;
import io.prometheus.metrics.core.metrics.Gauge;
import io.prometheus.metrics.core.metrics.GaugeWithCallback;
import io.prometheus.metrics.model.registry.PrometheusRegistry;
import io.storagecontroller.config.ControllerProperties;
import io.storagecontroller.model.TenantShardId;
import java.time.Duration;
import java.util.Arrays;
import java.util.EnumMap;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.stereotype.Component;

/**
 * How many shard reconciles run at once, and which run too long. A reconcile takes a slot of its
 * priority before it starts ({@code --reconciler-concurrency} for normal ones, {@code
 * --priority-reconciler-concurrency} for those of an evacuation or another urgent operation) and
 * waits while none is free, so a burst of work cannot open thousands of pageserver calls at once. A
 * reconcile still running after {@code --long-reconcile-threshold} is logged as a warning and shown
 * in Neon's {@code storage_controller_reconcile_long_running} (labelled with the shard, removed
 * when it ends, so its labels never accumulate).
 *
 * <p>Metrics: {@code storage_controller_reconciles_waiting} and {@code
 * storage_controller_reconciles_running}, each by {@code priority}, and Neon's {@code
 * storage_controller_pending_reconciles}: the shards that would reconcile but wait for a slot, of
 * either priority.
 */
@Component
public class ReconcileSlots {
  private static final Logger log = LoggerFactory.getLogger(ReconcileSlots.class);

  /** Which pool of slots a reconcile draws from. */
  public enum Priority {
    NORMAL,
    HIGH;

    String label() {
      return name().toLowerCase(Locale.ROOT);
    }
  }

  private final Map<Priority, Semaphore> slots = new EnumMap<>(Priority.class);
  private final Duration longThreshold;
  private final Gauge waiting;
  private final Gauge running;
  private final Counter longRunning;
  private final AtomicLong sequence = new AtomicLong();
  private final ScheduledExecutorService watch;

  @Autowired
  public ReconcileSlots(ControllerProperties properties, PrometheusMeterRegistry prometheus) {
    this(
        properties.reconcilerConcurrency(),
        properties.priorityReconcilerConcurrency(),
        properties.longReconcileThreshold(),
        prometheus.getPrometheusRegistry());
  }

  ReconcileSlots(int normal, int priority, Duration longThreshold, PrometheusRegistry registry) {
    if (normal < 1 || priority < 1) {
      throw new IllegalArgumentException("reconcile concurrency must be at least 1");
    }
    slots.put(Priority.NORMAL, new Semaphore(normal, true));
    slots.put(Priority.HIGH, new Semaphore(priority, true));
    this.longThreshold = longThreshold;
    waiting =
        Gauge.builder()
            .name("storage_controller_reconciles_waiting")
            .help("Shard reconciles waiting for a slot, by priority")
            .labelNames("priority")
            .withoutExemplars()
            .register(registry);
    running =
        Gauge.builder()
            .name("storage_controller_reconciles_running")
            .help("Shard reconciles running, by priority")
            .labelNames("priority")
            .withoutExemplars()
            .register(registry);
    for (Priority p : Priority.values()) {
      waiting.labelValues(p.label()).set(0);
      running.labelValues(p.label()).set(0);
    }
    GaugeWithCallback.builder()
        .name("storage_controller_pending_reconciles")
        .help("Shard reconciles delayed by the concurrency limit: waiting for a slot")
        .callback(
            cb ->
                cb.call(
                    Arrays.stream(Priority.values())
                        .mapToDouble(p -> waiting.labelValues(p.label()).get())
                        .sum()))
        .register(registry);
    longRunning =
        Counter.builder()
            .name("storage_controller_reconcile_long_running")
            .help("Reconciles running longer than --long-reconcile-threshold, while they run")
            .labelNames("tenant_id", "shard_number", "sequence")
            .withoutExemplars()
            .register(registry);
    ScheduledThreadPoolExecutor executor =
        new ScheduledThreadPoolExecutor(
            1,
            r -> {
              Thread t = new Thread(r, "reconcile-watch");
              t.setDaemon(true);
              return t;
            });
    // Most reconciles end long before the threshold: their watch is dropped, not kept queued.
    executor.setRemoveOnCancelPolicy(true);
    this.watch = executor;
  }

  /** Runs one shard's reconcile in a slot of its priority, waiting for one if none is free. */
  public <T> T run(TenantShardId shard, Priority priority, Supplier<T> reconcile) {
    Semaphore pool = slots.get(priority);
    String label = priority.label();
    waiting.labelValues(label).inc();
    try {
      pool.acquire();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted waiting for a reconcile slot for " + shard, e);
    } finally {
      waiting.labelValues(label).dec();
    }
    running.labelValues(label).inc();
    String[] labels = {
      shard.tenantId().toString(),
      Integer.toString(shard.shardNumber().value()),
      Long.toString(sequence.incrementAndGet())
    };
    long started = System.nanoTime();
    // Whoever comes first, the watch or the end, decides whether the shard was flagged: the end
    // then removes what the watch published, and a late watch publishes nothing.
    boolean[] decided = {false};
    ScheduledFuture<?> flag =
        watch.schedule(
            () -> {
              synchronized (decided) {
                if (!decided[0]) {
                  decided[0] = true;
                  log.warn(
                      "reconcile of {} has been running for more than {}", shard, longThreshold);
                  longRunning.labelValues(labels).inc();
                }
              }
            },
            longThreshold.toMillis(),
            TimeUnit.MILLISECONDS);
    try {
      return reconcile.get();
    } finally {
      flag.cancel(false);
      synchronized (decided) {
        if (decided[0]) {
          longRunning.remove(labels);
          log.info(
              "long reconcile of {} ended after {} s",
              shard,
              (System.nanoTime() - started) / 1_000_000_000);
        }
        decided[0] = true;
      }
      running.labelValues(label).dec();
      pool.release();
    }
  }
}
