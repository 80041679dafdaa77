package io.storagecontroller.reconcile;

import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import io.prometheus.metrics.core.metrics.GaugeWithCallback;
import io.storagecontroller.compute.ComputeNotifications;
import io.storagecontroller.model.NodeId;
import io.storagecontroller.model.TenantId;
import io.storagecontroller.node.NodeCameBack;
import io.storagecontroller.node.NodeService;
import io.storagecontroller.startup.Readiness;
import io.storagecontroller.tenant.ServiceState;
import io.storagecontroller.tenant.TenantShard;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.context.SmartLifecycle;
import org.springframework.context.event.EventListener;
import org.springframework.stereotype.Component;

/**
 * The safety net: every 20 s, compare intent with observed in memory and request a reconcile for
 * each tenant that differs (only those: a clean fleet starts no workflow). Failed reconciles are
 * retried here, and so are undelivered compute notifications.
 */
@Component
public class ReconcileSweep implements SmartLifecycle {
  private static final Logger log = LoggerFactory.getLogger(ReconcileSweep.class);

  /** Neon's BACKGROUND_RECONCILE_PERIOD. */
  static final long PERIOD_SECONDS = 20;

  private final ServiceState state;
  private final NodeService nodes;
  private final ReconcileTrigger trigger;
  private final ComputeNotifications notifications;
  private final Readiness readiness;
  static final int REQUESTS_IN_FLIGHT = 16;

  private final AtomicLong dirtyShards = new AtomicLong();
  private final ExecutorService requester =
      Executors.newFixedThreadPool(
          REQUESTS_IN_FLIGHT,
          r -> {
            Thread t = new Thread(r, "reconcile-request");
            t.setDaemon(true);
            return t;
          });
  private ScheduledExecutorService ticker;

  public ReconcileSweep(
      ServiceState state,
      NodeService nodes,
      ReconcileTrigger trigger,
      ComputeNotifications notifications,
      Readiness readiness,
      PrometheusMeterRegistry prometheus) {
    this.readiness = readiness;
    this.state = state;
    this.nodes = nodes;
    this.trigger = trigger;
    this.notifications = notifications;
    GaugeWithCallback.builder()
        .name("storage_controller_pending_reconciles")
        .help("Shards whose observed state differed from their intent at the last sweep")
        .callback(cb -> cb.call(dirtyShards.get()))
        .register(prometheus.getPrometheusRegistry());
  }

  /** Requests a reconcile of every dirty tenant; returns how many were requested. */
  public int sweep() {
    Set<NodeId> available = nodes.availableNodes();
    Set<TenantId> dirty = new LinkedHashSet<>();
    long shards = 0;
    for (TenantShard shard : state.all()) {
      if (state.isDirty(shard, available)) {
        dirty.add(shard.id().tenantId());
        shards++;
      }
    }
    dirtyShards.set(shards);
    requestAll(dirty);
    if (!dirty.isEmpty()) {
      log.info("reconcile sweep: {} tenants need a reconcile", dirty.size());
    }
    // Undelivered compute notifications go out again (in the background, bounded by the hook's
    // concurrency). A tenant being reconciled is notified when its reconcile moves an attachment.
    int resent = notifications.sendPending(dirty);
    if (resent > 0) {
      log.info("reconcile sweep: {} pending compute notifications resent", resent);
    }
    return dirty.size();
  }

  /**
   * One signal-with-start per tenant, {@link #REQUESTS_IN_FLIGHT} at a time: after a node failure
   * at 100,000 shards thousands of tenants are dirty, and asking one after the other took minutes.
   */
  private void requestAll(Set<TenantId> dirty) {
    List<Callable<Void>> requests = new ArrayList<>(dirty.size());
    for (TenantId tenant : dirty) {
      requests.add(
          () -> {
            trigger.request(tenant);
            return null;
          });
    }
    try {
      for (Future<Void> done : requester.invokeAll(requests)) {
        try {
          done.get();
        } catch (ExecutionException e) {
          log.warn("reconcile request failed; the next sweep asks again", e.getCause());
        }
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  /**
   * A returning node's stale locations are cleaned up now, not up to 20 s later. Not before the
   * start-up scan has learnt what every node holds: until then a shard's observed state is empty,
   * not unknown, and a reconcile would attach beside locations nobody has asked about yet.
   */
  @EventListener
  public synchronized void onNodeCameBack(NodeCameBack event) {
    if (ticker != null && readiness.isReady()) {
      log.info("node {} came back: sweeping now", event.nodeId());
      ticker.execute(this::sweepLogged);
    }
  }

  private void sweepLogged() {
    if (!readiness.isReady()) {
      return; // the start-up workflow sweeps once its scan is done
    }
    try {
      sweep();
    } catch (RuntimeException e) {
      log.error("reconcile sweep failed", e);
    }
  }

  @Override
  public synchronized void start() {
    ticker =
        Executors.newSingleThreadScheduledExecutor(
            r -> {
              Thread t = new Thread(r, "reconcile-sweep");
              t.setDaemon(true);
              return t;
            });
    ticker.scheduleWithFixedDelay(
        this::sweepLogged, PERIOD_SECONDS, PERIOD_SECONDS, TimeUnit.SECONDS);
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
