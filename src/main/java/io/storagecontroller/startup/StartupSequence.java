package io.storagecontroller.startup;

import io.storagecontroller.model.NodeAvailability;
import io.storagecontroller.model.NodeId;
import io.storagecontroller.model.TenantShardId;
import io.storagecontroller.node.Node;
import io.storagecontroller.node.NodeService;
import io.storagecontroller.pageserver.LocationConfig;
import io.storagecontroller.pageserver.PageserverClients;
import io.storagecontroller.pageserver.PageserverException;
import io.storagecontroller.persistence.SerializableTransactions;
import io.storagecontroller.reconcile.ReconcileSweep;
import io.storagecontroller.tenant.ServiceState;
import io.storagecontroller.tenant.TenantShardPersistence;
import io.storagecontroller.tenant.TenantShardRow;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.boot.context.event.ApplicationReadyEvent;
import org.springframework.context.event.EventListener;
import org.springframework.stereotype.Component;

/**
 * What runs once the service is up: load nodes and shards from Postgres, ask every node
 * concurrently what it holds (bounded by a deadline), record that as observed state, reconcile what
 * differs, then report ready. A clean restart starts no reconcile.
 */
@Component
public class StartupSequence {
  private static final Logger log = LoggerFactory.getLogger(StartupSequence.class);

  /** Neon bounds the whole start-up scan; one slow node must not hold the fleet's readiness. */
  static final Duration SCAN_DEADLINE = Duration.ofSeconds(15);

  private final NodeService nodes;
  private final ServiceState state;
  private final TenantShardPersistence tenants;
  private final SerializableTransactions transactions;
  private final PageserverClients clients;
  private final ReconcileSweep sweep;
  private final Readiness readiness;

  public StartupSequence(
      NodeService nodes,
      ServiceState state,
      TenantShardPersistence tenants,
      SerializableTransactions transactions,
      PageserverClients clients,
      ReconcileSweep sweep,
      Readiness readiness) {
    this.nodes = nodes;
    this.state = state;
    this.tenants = tenants;
    this.transactions = transactions;
    this.clients = clients;
    this.sweep = sweep;
    this.readiness = readiness;
  }

  @EventListener(ApplicationReadyEvent.class)
  public void onReady() {
    nodes.load();
    List<TenantShardRow> rows = transactions.execute("list_tenant_shards", tenants::listAttachable);
    synchronized (state) {
      rows.forEach(state::load);
    }
    log.info("loaded {} tenant shards", rows.size());
    scan();
    int started = sweep.sweep();
    log.info("start-up reconcile: {} tenants needed a reconcile", started);
    readiness.markReady();
  }

  /** Every node's locations, concurrently; nodes that answer are marked available. */
  private void scan() {
    List<Node> all = nodes.list();
    if (all.isEmpty()) {
      return;
    }
    ExecutorService pool = Executors.newFixedThreadPool(Math.min(all.size(), 32));
    try {
      List<CompletableFuture<Map<TenantShardId, LocationConfig>>> scans = new ArrayList<>();
      for (Node node : all) {
        scans.add(
            CompletableFuture.supplyAsync(() -> clients.client(node.id()).listLocations(), pool));
      }
      long deadline = System.nanoTime() + SCAN_DEADLINE.toNanos();
      int unknown = 0;
      for (int i = 0; i < all.size(); i++) {
        NodeId node = all.get(i).id();
        Map<TenantShardId, LocationConfig> held;
        try {
          held = scans.get(i).get(Math.max(0, deadline - System.nanoTime()), TimeUnit.NANOSECONDS);
        } catch (TimeoutException | ExecutionException e) {
          Throwable cause = e.getCause() instanceof PageserverException p ? p : e;
          log.warn("start-up scan of node {} failed: {}", node, cause.getMessage());
          continue;
        } catch (InterruptedException e) {
          Thread.currentThread().interrupt();
          return;
        }
        nodes.setAvailability(node, NodeAvailability.ACTIVE);
        synchronized (state) {
          for (Map.Entry<TenantShardId, LocationConfig> location : held.entrySet()) {
            if (state.shard(location.getKey()).isPresent()) {
              state.observed(location.getKey(), node, location.getValue());
            } else {
              unknown++;
            }
          }
        }
      }
      if (unknown > 0) {
        log.warn("{} locations on pageservers belong to no known shard (left in place)", unknown);
      }
    } finally {
      pool.shutdownNow();
    }
  }
}
