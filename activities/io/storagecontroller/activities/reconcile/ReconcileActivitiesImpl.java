package io.storagecontroller.activities.reconcile;

import io.storagecontroller.activities.TaskQueues;
import io.storagecontroller.model.Generation;
import io.storagecontroller.model.NodeId;
import io.storagecontroller.model.TenantId;
import io.storagecontroller.model.TenantShardId;
import io.storagecontroller.node.NodeService;
import io.storagecontroller.pageserver.LocationConfig;
import io.storagecontroller.pageserver.PageserverClients;
import io.storagecontroller.pageserver.PageserverException;
import io.storagecontroller.persistence.SerializableTransactions;
import io.storagecontroller.reconcile.ReconcileMetrics;
import io.storagecontroller.reconcile.ShardReconcilePlan;
import io.storagecontroller.reconcile.ShardReconcilePlanner;
import io.storagecontroller.tenant.ServiceState;
import io.storagecontroller.tenant.TenantShard;
import io.storagecontroller.tenant.TenantShardPersistence;
import io.temporal.failure.ApplicationFailure;
import io.temporal.spring.boot.ActivityImpl;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.slf4j.MDC;
import org.springframework.stereotype.Component;

/**
 * Reconciles a shard against the pageservers. The database is written before memory (a new
 * generation is committed before any pageserver sees it), and a location is marked unknown before
 * each call so a crash or failure midway is never mistaken for success.
 */
@Component
@ActivityImpl(taskQueues = TaskQueues.CONTROLLER)
public class ReconcileActivitiesImpl implements ReconcileActivities {
  private static final Logger log = LoggerFactory.getLogger(ReconcileActivitiesImpl.class);

  private final ServiceState state;
  private final NodeService nodes;
  private final PageserverClients clients;
  private final TenantShardPersistence persistence;
  private final SerializableTransactions transactions;
  private final ReconcileMetrics metrics;

  public ReconcileActivitiesImpl(
      ServiceState state,
      NodeService nodes,
      PageserverClients clients,
      TenantShardPersistence persistence,
      SerializableTransactions transactions,
      ReconcileMetrics metrics) {
    this.state = state;
    this.nodes = nodes;
    this.clients = clients;
    this.persistence = persistence;
    this.transactions = transactions;
    this.metrics = metrics;
  }

  @Override
  public List<String> dirtyShards(String tenantId) {
    return state.dirtyShards(TenantId.parse(tenantId), nodes.availableNodes()).stream()
        .map(TenantShardId::toString)
        .toList();
  }

  @Override
  public ShardReconcileResult reconcileShard(String tenantShardId) {
    TenantShardId id = TenantShardId.parse(tenantShardId);
    MDC.put("tenant_shard_id", tenantShardId);
    long started = System.nanoTime();
    boolean ok = false;
    try {
      Optional<TenantShard> shard = state.shard(id);
      if (shard.isEmpty()) {
        ok = true;
        return new ShardReconcileResult(tenantShardId, false, true);
      }
      Set<NodeId> available = nodes.availableNodes();
      ShardReconcilePlan plan = ShardReconcilePlanner.plan(state.snapshot(shard.get(), available));
      boolean attachmentChanged = plan.attach() != null && attach(id, plan.attach());
      List<PageserverException> failures = new ArrayList<>();
      for (ShardReconcilePlan.Change change : concat(plan.secondaries(), plan.detaches())) {
        try {
          apply(id, change.node(), change.wanted());
        } catch (PageserverException e) {
          failures.add(e);
        }
      }
      for (NodeId offline : plan.skippedOffline()) {
        state.observedUnknown(id, offline);
      }
      if (!failures.isEmpty()) {
        throw failure(failures.get(0));
      }
      state.update(id, s -> s.recordReconcileSuccess());
      ok = true;
      return new ShardReconcileResult(
          tenantShardId, attachmentChanged, plan.skippedOffline().isEmpty());
    } catch (PageserverException e) {
      state.update(id, s -> s.recordReconcileError(e.getMessage()));
      throw failure(e);
    } finally {
      metrics.completed(ok, (System.nanoTime() - started) / 1e9);
      MDC.remove("tenant_shard_id");
    }
  }

  @Override
  public void notifyCompute(String tenantId) {
    // The compute hook arrives with the control-plane integration; until then there is nobody to
    // tell.
    log.debug("compute notification for tenant {} (no compute hook configured)", tenantId);
  }

  /** Returns whether a new generation was issued, i.e. the attachment moved. */
  private boolean attach(TenantShardId id, ShardReconcilePlan.Attach attach) {
    LocationConfig wanted = attach.wanted();
    if (attach.newGeneration()) {
      Optional<Generation> issued =
          transactions.execute(
              "increment_generation", () -> persistence.incrementGeneration(id, attach.node()));
      if (issued.isEmpty()) {
        return false; // deleted meanwhile
      }
      state.generationIssued(id, issued.get(), attach.node());
      metrics.generationsIssued(1);
      wanted = withGeneration(wanted, issued.get());
      log.info("issued generation {} to node {}", issued.get(), attach.node());
    }
    // Neon attaches lazily from background reconciles so many tenants do not activate at once.
    state.observedUnknown(id, attach.node());
    clients.client(attach.node()).locationConfig(id, wanted, true, null);
    state.observed(id, attach.node(), wanted);
    return attach.newGeneration();
  }

  private void apply(TenantShardId id, NodeId node, LocationConfig wanted) {
    state.observedUnknown(id, node);
    clients.client(node).locationConfig(id, wanted, false, null);
    state.observed(id, node, wanted);
  }

  private static LocationConfig withGeneration(LocationConfig c, Generation g) {
    return new LocationConfig(
        c.mode(),
        g.value(),
        c.secondaryConf(),
        c.shardNumber(),
        c.shardCount(),
        c.shardStripeSize(),
        c.tenantConf());
  }

  private static <T> List<T> concat(List<T> a, List<T> b) {
    List<T> all = new ArrayList<>(a);
    all.addAll(b);
    return all;
  }

  /** A pageserver's refusal cannot succeed on retry; unavailability may. */
  private static ApplicationFailure failure(PageserverException e) {
    return e.retryable()
        ? ApplicationFailure.newFailure(e.getMessage(), "PageserverUnavailable")
        : ApplicationFailure.newNonRetryableFailure(e.getMessage(), "PageserverRefused");
  }
}
