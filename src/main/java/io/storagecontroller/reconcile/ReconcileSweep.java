package io.storagecontroller.reconcile;

import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import io.prometheus.metrics.core.metrics.GaugeWithCallback;
import io.storagecontroller.compute.ComputeNotifications;
import io.storagecontroller.model.NodeId;
import io.storagecontroller.model.TenantId;
import io.storagecontroller.node.NodeService;
import io.storagecontroller.shard.ShardStore;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicLong;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.stereotype.Component;

/**
 * The safety net: compare intent with observed in memory and request a reconcile for each tenant
 * that differs (only those: a clean fleet starts no workflow). Failed reconciles are retried here,
 * and so are undelivered compute notifications. The control loop runs it every 20 s.
 */
@Component
public class ReconcileSweep {
  private static final Logger log = LoggerFactory.getLogger(ReconcileSweep.class);

  private final ShardStore store;
  private final NodeService nodes;
  private final ReconcileRequests trigger;
  private final ComputeNotifications notifications;
  static final int REQUESTS_IN_FLIGHT = 16;

  /**
   * Neon's {@code MAX_CONSECUTIVE_RECONCILES}: a shard still needing a reconcile after this many in
   * a row is stuck ({@code storage_controller_stuck_reconciles}) and logged at each sweep.
   */
  static final int MAX_CONSECUTIVE_RECONCILES = 10;

  /** Dirty shards already reconciled {@link #MAX_CONSECUTIVE_RECONCILES} times in a row. */
  private final AtomicLong stuckShards = new AtomicLong();

  /** Shards attached outside their preferred zone, as the last sweep found them. */
  private final AtomicLong azViolations = new AtomicLong();

  /** Shards not dirty but with a move under way, as the last sweep found them. */
  private final AtomicLong busyShards = new AtomicLong();

  private final ExecutorService requester =
      Executors.newFixedThreadPool(
          REQUESTS_IN_FLIGHT,
          r -> {
            Thread t = new Thread(r, "reconcile-request");
            t.setDaemon(true);
            return t;
          });

  public ReconcileSweep(
      ShardStore store,
      NodeService nodes,
      ReconcileRequests trigger,
      ComputeNotifications notifications,
      PrometheusMeterRegistry prometheus) {
    this.store = store;
    this.nodes = nodes;
    this.trigger = trigger;
    this.notifications = notifications;
    GaugeWithCallback.builder()
        .name("storage_controller_stuck_reconciles")
        .help(
            "Shards still dirty after "
                + MAX_CONSECUTIVE_RECONCILES
                + " reconciles in a row, at the last sweep")
        .callback(cb -> cb.call(stuckShards.get()))
        .register(prometheus.getPrometheusRegistry());
    GaugeWithCallback.builder()
        .name("storage_controller_schedule_az_violation")
        .help("Shards attached outside their preferred availability zone at the last sweep")
        .callback(cb -> cb.call(azViolations.get()))
        .register(prometheus.getPrometheusRegistry());
  }

  /**
   * How many shards in memory differ from their intent, with these nodes reachable; nothing is
   * requested. A candidate runs it on what it read ahead, before it takes over: the operator learns
   * what the new leader will find to reconcile, and the shards found clean are remembered with
   * their (immutable) views, so the new leader's first sweep, which runs beside its first writes,
   * plans only the shards whose views the takeover changed (a tenant loaded again, a location the
   * step-down's answer replaced) or all of them if the reachable nodes differ by then.
   */
  public int countDirty(Set<NodeId> reachable) {
    Set<NodeId> available = Set.copyOf(reachable);
    int[] dirty = {0};
    store.sweepPass(
        available,
        shard -> ShardReconcilePlanner.isDirty(shard, available),
        (shard, isDirty, launches) -> {
          if (isDirty) {
            dirty[0]++;
          }
        });
    return dirty[0];
  }

  /** Requests a reconcile of every dirty tenant; returns how many were requested. */
  public int sweep() {
    return sweep(Duration.ZERO);
  }

  /**
   * {@code POST /debug/v1/reconcile_all}: a sweep, answering the reconciles it requested plus the
   * shards whose move is already under way (held by an operation, splitting, or with a writer at
   * its pageservers), as Neon counts its reconcilers in flight. 0 means idle: Neon's {@code
   * reconcile_until_idle} stops there and checks consistency.
   */
  public int reconcileAll() {
    int requested = sweep(Duration.ZERO);
    return requested + (int) busyShards.get();
  }

  /**
   * Requests a reconcile of every dirty tenant but those asked for less than {@code recent} ago
   * (Neon's sweep likewise skips shards whose reconciler is running): under a load of creates,
   * hundreds of tenants are dirty only because their reconcile is under way, and asking again
   * queues a second workflow task behind each. One whose reconcile failed is asked for again by the
   * next pass. Returns how many were requested.
   */
  public int sweep(Duration recent) {
    // One immutable copy: each shard's plan would otherwise copy the set again.
    long start = System.nanoTime();
    Set<NodeId> available = Set.copyOf(nodes.availableNodes());
    Map<NodeId, String> zones = new HashMap<>();
    nodes.list().forEach(n -> zones.put(n.id(), n.address().availabilityZoneId()));
    Set<TenantId> dirty = new LinkedHashSet<>();
    Findings found = new Findings();
    store.sweepPass(
        available,
        shard -> ShardReconcilePlanner.isDirty(shard, available),
        (shard, isDirty, launches) -> {
          if (shard.attached() != null
              && shard.preferredAz() != null
              && !shard.preferredAz().equals(zones.get(shard.attached()))) {
            found.outsideHome++;
          }
          if (isDirty) {
            dirty.add(shard.id().tenantId());
            if (launches >= MAX_CONSECUTIVE_RECONCILES) {
              // Neon's warning, word for word: its tests look for it.
              log.warn(
                  "{}: Shard reconciliation is stuck: {} consecutive launches",
                  shard.id(),
                  launches);
              found.stuck++;
            }
          } else if (shard.held() || shard.splitting() || store.writing(shard.id())) {
            found.busy++;
          }
        });
    stuckShards.set(found.stuck);
    busyShards.set(found.busy);
    azViolations.set(found.outsideHome);
    if (!recent.isZero()) {
      trigger.forgetOlderThan(recent);
    }
    long passed = System.nanoTime();
    List<TenantId> toRequest =
        dirty.stream().filter(t -> !trigger.requestedWithin(t, recent)).toList();
    requestAll(toRequest);
    if (!dirty.isEmpty()) {
      log.info(
          "reconcile sweep: {} tenants need a reconcile, {} of them asked for already (pass {}"
              + " ms, requests {} ms)",
          dirty.size(),
          dirty.size() - toRequest.size(),
          (passed - start) / 1_000_000,
          (System.nanoTime() - passed) / 1_000_000);
    }
    // Undelivered compute notifications go out again (in the background, bounded by the hook's
    // concurrency). A tenant being reconciled is notified when its reconcile moves an attachment.
    int resent = notifications.sendPending(dirty);
    if (resent > 0) {
      log.info("reconcile sweep: {} pending compute notifications resent", resent);
    }
    return toRequest.size();
  }

  /** A sweep's counts, for its gauges. */
  private static final class Findings {
    long stuck;
    long busy;
    long outsideHome;
  }

  /**
   * One signal-with-start per tenant, {@link #REQUESTS_IN_FLIGHT} at a time: after a node failure
   * at 100,000 shards thousands of tenants are dirty, and asking one after the other took minutes.
   */
  private void requestAll(List<TenantId> dirty) {
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
}
