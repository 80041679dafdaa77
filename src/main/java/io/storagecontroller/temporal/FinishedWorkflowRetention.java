package io.storagecontroller.temporal;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.temporal.internal.testservice.ClosedExecutionRetention;
import java.time.Clock;
import java.time.Duration;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.context.SmartLifecycle;
import org.springframework.stereotype.Component;

/**
 * {@code --embedded-temporal-retention}: the in-process Temporal service forgets a workflow once it
 * has been finished for this long, as a Temporal server does at the end of a namespace's retention.
 * Without it the service keeps every workflow it ever ran, and a controller left on its embedded
 * defaults fills its heap. Nothing here needs a finished workflow for long: the operations table
 * records what ran and how it ended, a caller waiting on a workflow's result reads it as the
 * workflow closes, and operation repair reads a workflow that is gone as one that is not running.
 *
 * <p>Metrics: {@code storage_controller_embedded_temporal_workflows{state="running"|"closed"}}
 * (what the service holds) and {@code storage_controller_embedded_temporal_workflows_forgotten}.
 * With an external Temporal ({@code --temporal-target}) this does nothing: the namespace's
 * retention applies there.
 */
@Component
public class FinishedWorkflowRetention implements SmartLifecycle {
  private static final Logger log = LoggerFactory.getLogger(FinishedWorkflowRetention.class);

  /** The longest wait between two passes; a short retention is checked more often. */
  static final Duration MAX_PASS_INTERVAL = Duration.ofSeconds(15);

  /** What a retention of 0 means: the passes only count. */
  private static final Duration FOREVER = Duration.ofDays(365L * 1000);

  private final ObjectProvider<EmbeddedTemporal> embedded;
  private final Duration retention;
  private final Clock clock;
  private final AtomicInteger running = new AtomicInteger();
  private final AtomicInteger closed = new AtomicInteger();
  private final Counter forgotten;
  private ClosedExecutionRetention service;
  private ScheduledExecutorService ticker;

  @Autowired
  public FinishedWorkflowRetention(
      ObjectProvider<EmbeddedTemporal> embedded,
      @Value("${storage-controller.embedded-temporal-retention:10s}") Duration retention,
      MeterRegistry registry) {
    this(embedded, retention, registry, Clock.systemUTC());
  }

  FinishedWorkflowRetention(
      ObjectProvider<EmbeddedTemporal> embedded,
      Duration retention,
      MeterRegistry registry,
      Clock clock) {
    if (retention.isNegative()) {
      throw new IllegalArgumentException("embedded-temporal-retention must not be negative");
    }
    this.embedded = embedded;
    this.retention = retention;
    this.clock = clock;
    String name = "storage_controller_embedded_temporal_workflows";
    Gauge.builder(name, running, AtomicInteger::get)
        .tag("state", "running")
        .description("Workflows the in-process Temporal service holds")
        .register(registry);
    Gauge.builder(name, closed, AtomicInteger::get)
        .tag("state", "closed")
        .description("Workflows the in-process Temporal service holds")
        .register(registry);
    this.forgotten =
        Counter.builder(name + "_forgotten")
            .description("Finished workflows the in-process Temporal service has forgotten")
            .register(registry);
  }

  /** One pass: forgets what finished more than the retention ago, and counts what is kept. */
  public synchronized ClosedExecutionRetention.Pass pass() {
    if (service == null) {
      service = embedded.getObject().retention();
    }
    ClosedExecutionRetention.Pass pass =
        service.forgetClosedBefore(clock.instant(), retention.isZero() ? FOREVER : retention);
    running.set(pass.running());
    closed.set(pass.closed());
    forgotten.increment(pass.forgotten());
    log.debug(
        "in-process Temporal: {} running, {} finished kept, {} forgotten",
        pass.running(),
        pass.closed(),
        pass.forgotten());
    return pass;
  }

  @Override
  public synchronized void start() {
    if (embedded.getIfAvailable() == null) {
      return;
    }
    if (retention.isZero()) {
      log.warn(
          "--embedded-temporal-retention is 0s: the in-process Temporal service keeps every"
              + " finished workflow, and this controller's memory grows with every workflow it runs");
    }
    Duration interval = retention.isZero() ? MAX_PASS_INTERVAL : retention.dividedBy(4);
    if (interval.compareTo(MAX_PASS_INTERVAL) > 0) {
      interval = MAX_PASS_INTERVAL;
    }
    if (interval.toMillis() < 100) {
      interval = Duration.ofMillis(100);
    }
    ticker =
        Executors.newSingleThreadScheduledExecutor(
            r -> {
              Thread t = new Thread(r, "temporal-retention");
              t.setDaemon(true);
              return t;
            });
    ticker.scheduleWithFixedDelay(
        this::passQuietly, interval.toMillis(), interval.toMillis(), TimeUnit.MILLISECONDS);
    if (!retention.isZero()) {
      log.info("in-process Temporal: finished workflows are kept for {}", retention);
    }
  }

  private void passQuietly() {
    try {
      pass();
    } catch (RuntimeException e) {
      log.error("in-process Temporal: forgetting finished workflows failed; next pass retries", e);
    }
  }

  @Override
  public synchronized void stop() {
    if (ticker != null) {
      ticker.shutdownNow();
      ticker = null;
    }
  }

  @Override
  public synchronized boolean isRunning() {
    return ticker != null;
  }
}
