package io.storagecontroller.reconcile;

import io.storagecontroller.failpoint.FailpointNames;
import io.storagecontroller.failpoint.Failpoints;
import io.storagecontroller.model.Generation;
import io.storagecontroller.model.LocationConfigMode;
import io.storagecontroller.model.NodeId;
import io.storagecontroller.model.TenantShardId;
import io.storagecontroller.pageserver.LocationConfig;
import io.storagecontroller.pageserver.PageserverClients;
import io.storagecontroller.persistence.SerializableTransactions;
import io.storagecontroller.tenant.ServiceState;
import io.storagecontroller.tenant.TenantShardPersistence;
import java.time.Duration;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.stereotype.Component;

/**
 * The one way shard locations are written to pageservers, shared by reconciles and live migrations:
 * one writer per shard at a time, a new generation committed to the database before any pageserver
 * sees it, and a location marked unknown before each call so a failure midway is never mistaken for
 * success.
 */
@Component
public class LocationWriter {
  private static final Logger log = LoggerFactory.getLogger(LocationWriter.class);

  private final ServiceState state;
  private final PageserverClients clients;
  private final TenantShardPersistence persistence;
  private final SerializableTransactions transactions;
  private final ReconcileMetrics metrics;
  private final Failpoints failpoints;
  private final Map<TenantShardId, ReentrantLock> writers = new ConcurrentHashMap<>();

  public LocationWriter(
      ServiceState state,
      PageserverClients clients,
      TenantShardPersistence persistence,
      SerializableTransactions transactions,
      ReconcileMetrics metrics,
      Failpoints failpoints) {
    this.state = state;
    this.clients = clients;
    this.persistence = persistence;
    this.transactions = transactions;
    this.metrics = metrics;
    this.failpoints = failpoints;
  }

  /**
   * Runs {@code work} as the shard's only writer: a tenant's reconcile, a node operation's batch
   * and a live migration may all reach one shard, and their pageserver calls must not interleave.
   */
  public <T> T asWriter(TenantShardId id, Supplier<T> work) {
    ReentrantLock writer = writers.computeIfAbsent(id, k -> new ReentrantLock());
    writer.lock();
    try {
      return work.get();
    } finally {
      writer.unlock();
    }
  }

  /** Sets the location and records what the pageserver confirmed. */
  public void apply(TenantShardId id, NodeId node, LocationConfig wanted) {
    apply(id, node, wanted, false, null);
  }

  public void apply(
      TenantShardId id, NodeId node, LocationConfig wanted, boolean lazy, Duration flush) {
    state.observedUnknown(id, node);
    failpoints.hit(FailpointNames.LOCATION_CONFIG_PRE_CALL);
    clients.client(node).locationConfig(id, wanted, lazy, flush);
    failpoints.hit(FailpointNames.LOCATION_CONFIG_POST_CALL);
    state.observed(id, node, wanted);
  }

  /**
   * Asks every reachable node whose location is unknown (a call failed, it was offline, the
   * controller restarted) what it holds, so that a new attachment is never made beside an
   * AttachedSingle nobody knew about. Returns whether anything was learnt; a node that does not
   * answer fails the reconcile, to be retried.
   */
  public boolean refreshUnknown(TenantShardId id, ShardSnapshot snapshot, NodeId except) {
    boolean learnt = false;
    for (Map.Entry<NodeId, Optional<LocationConfig>> held : snapshot.observed().entrySet()) {
      NodeId node = held.getKey();
      if (node.equals(except)
          || held.getValue().isPresent()
          || !snapshot.availableNodes().contains(node)) {
        continue;
      }
      Optional<LocationConfig> actual = clients.client(node).getLocation(id);
      if (actual.isPresent()) {
        state.observed(id, node, actual.get());
      } else {
        state.update(id, s -> s.observed().remove(node));
      }
      learnt = true;
    }
    return learnt;
  }

  /** The database first: empty if the shard was deleted meanwhile. */
  public Optional<Generation> issueGeneration(TenantShardId id, NodeId node) {
    Optional<Generation> issued =
        transactions.execute(
            "increment_generation", () -> persistence.incrementGeneration(id, node));
    issued.ifPresent(
        generation -> {
          state.generationIssued(id, generation, node);
          metrics.generationsIssued(1);
          log.info("{}: issued generation {} to node {}", id, generation, node);
        });
    return issued;
  }

  public static LocationConfig withMode(LocationConfig c, Generation g, LocationConfigMode mode) {
    return new LocationConfig(
        mode,
        g == null ? null : g.value(),
        c.secondaryConf(),
        c.shardNumber(),
        c.shardCount(),
        c.shardStripeSize(),
        c.tenantConf());
  }
}
