package io.storagecontroller.reconcile;

import static org.assertj.core.api.Assertions.assertThat;

import io.prometheus.metrics.model.registry.PrometheusRegistry;
import io.prometheus.metrics.model.snapshots.CounterSnapshot;
import io.prometheus.metrics.model.snapshots.GaugeSnapshot;
import io.prometheus.metrics.model.snapshots.MetricSnapshot;
import io.storagecontroller.model.TenantId;
import io.storagecontroller.model.TenantShardId;
import io.storagecontroller.testing.ControllerProcess;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * Reconciles beyond {@code --reconciler-concurrency} wait for a slot (counted as Neon's pending
 * reconciles); urgent ones draw from their own pool; one running past {@code
 * --long-reconcile-threshold} is published while it runs.
 */
class ReconcileSlotsTest {
  private static final Duration DEADLINE = Duration.ofSeconds(10);
  private final PrometheusRegistry registry = new PrometheusRegistry();
  private final CountDownLatch release = new CountDownLatch(1);
  private final List<CompletableFuture<Integer>> started = new ArrayList<>();

  @AfterEach
  void releaseAll() {
    release.countDown();
    started.forEach(CompletableFuture::join);
  }

  private double gauge(String name, String priority) {
    for (MetricSnapshot m : registry.scrape()) {
      if (m.getMetadata().getPrometheusName().equals(name)) {
        for (GaugeSnapshot.GaugeDataPointSnapshot p : ((GaugeSnapshot) m).getDataPoints()) {
          if (p.getLabels().get("priority").equals(priority)) {
            return p.getValue();
          }
        }
      }
    }
    throw new AssertionError(name + " not found");
  }

  /** Neon's {@code storage_controller_pending_reconciles}, which has no labels. */
  private double pendingReconciles() {
    for (MetricSnapshot m : registry.scrape()) {
      if (m.getMetadata().getPrometheusName().equals("storage_controller_pending_reconciles")) {
        return ((GaugeSnapshot) m).getDataPoints().get(0).getValue();
      }
    }
    throw new AssertionError("storage_controller_pending_reconciles not found");
  }

  private List<String> longRunningShards() {
    List<String> shards = new ArrayList<>();
    for (MetricSnapshot m : registry.scrape()) {
      if (m.getMetadata().getPrometheusName().equals("storage_controller_reconcile_long_running")) {
        for (CounterSnapshot.CounterDataPointSnapshot p : ((CounterSnapshot) m).getDataPoints()) {
          shards.add(p.getLabels().get("tenant_id") + "/" + p.getLabels().get("shard_number"));
        }
      }
    }
    return shards;
  }

  private void startBlocked(
      ReconcileSlots slots, ReconcileSlots.Priority priority, AtomicInteger inside) {
    TenantShardId shard = TenantShardId.unsharded(TenantId.generate());
    started.add(
        CompletableFuture.supplyAsync(
            () ->
                slots.run(
                    shard,
                    priority,
                    () -> {
                      inside.incrementAndGet();
                      try {
                        release.await();
                      } catch (InterruptedException e) {
                        Thread.currentThread().interrupt();
                      }
                      return 1;
                    })));
  }

  @Test
  void reconcilesBeyondTheConcurrencyWaitAndUrgentOnesHaveTheirOwnSlots() {
    ReconcileSlots slots = new ReconcileSlots(2, 1, Duration.ofMinutes(2), registry);
    AtomicInteger normal = new AtomicInteger();
    AtomicInteger urgent = new AtomicInteger();
    for (int i = 0; i < 4; i++) {
      startBlocked(slots, ReconcileSlots.Priority.NORMAL, normal);
    }
    startBlocked(slots, ReconcileSlots.Priority.HIGH, urgent);
    startBlocked(slots, ReconcileSlots.Priority.HIGH, urgent);

    ControllerProcess.await(
        DEADLINE,
        () -> gauge("storage_controller_reconciles_waiting", "normal") == 2,
        "two normal reconciles waiting");
    ControllerProcess.await(
        DEADLINE,
        () -> gauge("storage_controller_reconciles_waiting", "high") == 1,
        "one urgent reconcile waiting");
    ControllerProcess.await(DEADLINE, () -> urgent.get() == 1, "the urgent reconcile running");
    // The waiting gauge counts the others as soon as they queue, before the admitted two have
    // started counting themselves: awaited, not read at once (CI saw 1).
    ControllerProcess.await(DEADLINE, () -> normal.get() == 2, "two normal reconciles running");
    assertThat(gauge("storage_controller_reconciles_running", "normal")).isEqualTo(2);
    assertThat(gauge("storage_controller_reconciles_running", "high")).isEqualTo(1);
    // Neon's pending_reconciles: those delayed by the concurrency limit, of either priority.
    assertThat(pendingReconciles()).isEqualTo(3);

    release.countDown();
    started.forEach(CompletableFuture::join);
    assertThat(normal.get()).isEqualTo(4);
    assertThat(urgent.get()).isEqualTo(2);
    assertThat(gauge("storage_controller_reconciles_running", "normal")).isZero();
    assertThat(gauge("storage_controller_reconciles_waiting", "normal")).isZero();
    assertThat(pendingReconciles()).isZero();
  }

  @Test
  void aReconcilePastTheThresholdIsPublishedWhileItRunsOnly() {
    ReconcileSlots slots = new ReconcileSlots(4, 4, Duration.ofMillis(200), registry);
    TenantShardId quick = TenantShardId.unsharded(TenantId.generate());
    assertThat(slots.run(quick, ReconcileSlots.Priority.NORMAL, () -> 1)).isEqualTo(1);
    AtomicInteger inside = new AtomicInteger();
    startBlocked(slots, ReconcileSlots.Priority.NORMAL, inside);

    ControllerProcess.await(
        DEADLINE, () -> longRunningShards().size() == 1, "the long reconcile published");
    assertThat(longRunningShards().get(0)).doesNotStartWith(quick.tenantId().toString());

    release.countDown();
    started.forEach(CompletableFuture::join);
    assertThat(longRunningShards()).isEmpty();
  }
}
