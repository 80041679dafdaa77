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
import java.util.LinkedHashSet;
import java.util.Set;
import java.util.concurrent.Executors;
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
  private final AtomicLong dirtyShards = new AtomicLong();
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
    dirty.forEach(trigger::request);
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
