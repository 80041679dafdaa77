package io.storagecontroller.activities.reconcile;

import static io.storagecontroller.reconcile.LocationWriter.withMode;

import io.storagecontroller.activities.TaskQueues;
import io.storagecontroller.compute.ComputeNotifications;
import io.storagecontroller.failpoint.FailpointNames;
import io.storagecontroller.failpoint.FailpointTriggered;
import io.storagecontroller.failpoint.Failpoints;
import io.storagecontroller.model.Generation;
import io.storagecontroller.model.LocationConfigMode;
import io.storagecontroller.model.NodeAvailability;
import io.storagecontroller.model.NodeId;
import io.storagecontroller.model.TenantId;
import io.storagecontroller.model.TenantShardId;
import io.storagecontroller.node.NodeService;
import io.storagecontroller.pageserver.LocationConfig;
import io.storagecontroller.pageserver.PageserverException;
import io.storagecontroller.reconcile.LocationWriter;
import io.storagecontroller.reconcile.ReconcileMetrics;
import io.storagecontroller.reconcile.ShardReconcilePlan;
import io.storagecontroller.reconcile.ShardReconcilePlanner;
import io.storagecontroller.reconcile.ShardSnapshot;
import io.storagecontroller.tenant.ServiceState;
import io.storagecontroller.tenant.TenantShard;
import io.temporal.failure.ApplicationFailure;
import io.temporal.spring.boot.ActivityImpl;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
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

  /** Neon flushes the origin for up to 10 s when it steps down to AttachedStale. */
  private static final Duration ORIGIN_FLUSH = Duration.ofSeconds(10);

  private final ServiceState state;
  private final NodeService nodes;
  private final LocationWriter writer;
  private final ReconcileMetrics metrics;
  private final ComputeNotifications notifications;
  private final Failpoints failpoints;

  public ReconcileActivitiesImpl(
      ServiceState state,
      NodeService nodes,
      LocationWriter writer,
      ReconcileMetrics metrics,
      ComputeNotifications notifications,
      Failpoints failpoints) {
    this.state = state;
    this.nodes = nodes;
    this.writer = writer;
    this.metrics = metrics;
    this.notifications = notifications;
    this.failpoints = failpoints;
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
    return writer.asWriter(id, () -> reconcileLocked(id, tenantShardId));
  }

  private ShardReconcileResult reconcileLocked(TenantShardId id, String tenantShardId) {
    MDC.put("tenant_shard_id", tenantShardId);
    long started = System.nanoTime();
    boolean ok = false;
    try {
      failpoints.hit(FailpointNames.RECONCILER_PROLOGUE);
      Optional<TenantShard> shard = state.shard(id);
      // Deleted, or owned by a live migration or a split, which reconcile it when they end.
      if (shard.isEmpty() || state.read(() -> shard.get().migrating() || shard.get().splitting())) {
        ok = true;
        return new ShardReconcileResult(tenantShardId, false, true);
      }
      Set<NodeId> available = nodes.availableNodes();
      ShardSnapshot snapshot = state.snapshot(shard.get(), available);
      ShardReconcilePlan plan = ShardReconcilePlanner.plan(snapshot);
      boolean attachmentChanged = plan.attach() != null && attach(id, plan.attach(), snapshot);
      failpoints.hit(FailpointNames.RECONCILER_PRE_SECONDARIES);
      List<PageserverException> failures = new ArrayList<>();
      for (ShardReconcilePlan.Change change : concat(plan.secondaries(), plan.detaches())) {
        try {
          writer.apply(id, change.node(), change.wanted());
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
      failpoints.hit(FailpointNames.RECONCILER_EPILOGUE);
      state.update(id, s -> s.recordReconcileSuccess());
      ok = true;
      return new ShardReconcileResult(
          tenantShardId, attachmentChanged, plan.skippedOffline().isEmpty());
    } catch (PageserverException e) {
      state.update(id, s -> s.recordReconcileError(e.getMessage()));
      throw failure(e);
    } catch (FailpointTriggered e) {
      state.update(id, s -> s.recordReconcileError(e.getMessage()));
      throw e;
    } finally {
      metrics.completed(ok, (System.nanoTime() - started) / 1e9);
      MDC.remove("tenant_shard_id");
    }
  }

  @Override
  public void notifyCompute(String tenantId) {
    // Never fails: an undelivered notification is left pending on the tenant and the sweep sends
    // it, so a control plane that is down neither fails nor stalls the reconcile (Neon #6668).
    failpoints.hit(FailpointNames.RECONCILER_PRE_COMPUTE_NOTIFY);
    notifications.notifyOrMarkPending(TenantId.parse(tenantId));
  }

  /** Returns whether a new generation was issued, i.e. the attachment moved. */
  private boolean attach(
      TenantShardId id, ShardReconcilePlan.Attach attach, ShardSnapshot snapshot) {
    return attach(id, attach, snapshot, true);
  }

  private boolean attach(
      TenantShardId id, ShardReconcilePlan.Attach attach, ShardSnapshot snapshot, boolean recheck) {
    LocationConfig wanted = attach.wanted();
    if (attach.newGeneration()) {
      if (writer.refreshUnknown(id, snapshot, attach.node())) {
        Optional<TenantShard> shard = state.shard(id);
        if (shard.isEmpty()) {
          return false;
        }
        snapshot = state.snapshot(shard.get(), snapshot.availableNodes());
      }
      List<NodeId> holders = attachedElsewhere(snapshot, attach.node());
      // Holders of an older generation than the shard's (left behind by moves that raced) go
      // first; a holder of the current one hands over in live-migration order.
      for (NodeId superseded : holders) {
        if (superseded(snapshot.observed().get(superseded).orElseThrow(), snapshot)) {
          demote(id, superseded, snapshot);
        }
      }
      ShardSnapshot seen = snapshot;
      Optional<NodeId> origin =
          holders.stream()
              .filter(n -> !superseded(seen.observed().get(n).orElseThrow(), seen))
              .findFirst();
      if (origin.isPresent()) {
        return cutOver(id, origin.get(), attach, snapshot);
      }
      requireNoWarmingUpHolder(snapshot, attach.node());
      failpoints.hit(FailpointNames.RECONCILER_PRE_INCREMENT_GENERATION);
      Optional<Generation> issued = writer.issueGeneration(id, attach.node());
      if (issued.isEmpty()) {
        return false; // deleted meanwhile
      }
      failpoints.hit(FailpointNames.RECONCILER_POST_INCREMENT_GENERATION);
      Set<NodeId> returned = cameBack(snapshot, attach.node());
      if (recheck && !returned.isEmpty()) {
        // A node that may hold this shard answered again while the attach was being decided (an
        // evacuation meeting a healed partition): ask it first, as if it had never left. The
        // generation just issued is simply superseded.
        log.info("node(s) {} came back during the attach: deciding again", returned);
        Optional<TenantShard> shard = state.shard(id);
        return shard.isPresent()
            && attach(id, attach, state.snapshot(shard.get(), nodes.availableNodes()), false);
      }
      wanted = withMode(wanted, issued.get(), LocationConfigMode.ATTACHED_SINGLE);
    }
    // Neon attaches lazily from background reconciles so many tenants do not activate at once.
    writer.apply(id, attach.node(), wanted, true, null);
    return attach.newGeneration();
  }

  /**
   * A holder whose generation is older than the shard's (a newer one was issued since, to a node
   * that re-attached, say) cannot be stepped down with its own generation (a pageserver refuses an
   * attachment older than the newest) and has nothing left to hand over: it is detached, or made
   * the secondary its intent says, before anything is attached.
   */
  private void demote(TenantShardId id, NodeId holder, ShardSnapshot snapshot) {
    writer.apply(id, holder, ShardReconcilePlanner.wantedAfterAttached(snapshot, holder));
    log.info("removed superseded attachment on node {}", holder);
  }

  private static boolean superseded(LocationConfig origin, ShardSnapshot snapshot) {
    return origin.generation() != null
        && snapshot.generation() != null
        && origin.generation() < snapshot.generation().value();
  }

  /** Nodes that may hold the shard and were unavailable in the snapshot but are available now. */
  private Set<NodeId> cameBack(ShardSnapshot snapshot, NodeId destination) {
    Set<NodeId> now = nodes.availableNodes();
    Set<NodeId> returned = new HashSet<>();
    for (NodeId node : snapshot.observed().keySet()) {
      if (!node.equals(destination)
          && !snapshot.availableNodes().contains(node)
          && now.contains(node)) {
        returned.add(node);
      }
    }
    return returned;
  }

  /**
   * Moves the attachment off a node that still serves it, in Neon's live-migration order so that
   * two locations are never both AttachedSingle: origin to AttachedStale (flushing), destination to
   * AttachedMulti with a new generation, origin to its intended role, destination to
   * AttachedSingle. Secondary warm-up and LSN catch-up come with the live-migration workflow.
   */
  private boolean cutOver(
      TenantShardId id, NodeId origin, ShardReconcilePlan.Attach attach, ShardSnapshot snapshot) {
    LocationConfig originConfig = snapshot.observed().get(origin).orElseThrow();
    LocationConfig stale =
        withMode(
            originConfig,
            Generation.of(originConfig.generation()),
            LocationConfigMode.ATTACHED_STALE);
    failpoints.hit(FailpointNames.LIVE_MIGRATE_PRE_STEP_DOWN);
    writer.apply(id, origin, stale, false, ORIGIN_FLUSH);
    failpoints.hit(FailpointNames.LIVE_MIGRATE_PRE_GENERATION_INC);
    Optional<Generation> issued = writer.issueGeneration(id, attach.node());
    if (issued.isEmpty()) {
      return false;
    }
    failpoints.hit(FailpointNames.LIVE_MIGRATE_POST_GENERATION_INC);
    writer.apply(
        id,
        attach.node(),
        withMode(attach.wanted(), issued.get(), LocationConfigMode.ATTACHED_MULTI));
    // No LSN catch-up nor blocking notification here (the migration workflow has both): the
    // points between them are passed back to back.
    failpoints.hit(FailpointNames.LIVE_MIGRATE_PRE_AWAIT_LSN);
    failpoints.hit(FailpointNames.LIVE_MIGRATE_POST_NOTIFY);
    writer.apply(id, origin, ShardReconcilePlanner.wantedAfterAttached(snapshot, origin));
    failpoints.hit(FailpointNames.LIVE_MIGRATE_POST_DETACH);
    writer.apply(
        id,
        attach.node(),
        withMode(attach.wanted(), issued.get(), LocationConfigMode.ATTACHED_SINGLE));
    log.info("moved attachment from node {} to node {}", origin, attach.node());
    return true;
  }

  /**
   * A node that just re-attached serves its shards AttachedSingle but is not called until its first
   * heartbeat; attaching elsewhere meanwhile would leave two single attachments. Wait for it (the
   * retry or the sweep comes back), as for a dead node only after it is declared offline.
   */
  private void requireNoWarmingUpHolder(ShardSnapshot snapshot, NodeId destination) {
    for (Map.Entry<NodeId, Optional<LocationConfig>> held : snapshot.observed().entrySet()) {
      NodeId node = held.getKey();
      boolean single =
          held.getValue().map(c -> c.mode() == LocationConfigMode.ATTACHED_SINGLE).orElse(false);
      if (!node.equals(destination)
          && single
          && nodes
              .find(node)
              .map(n -> n.availability() == NodeAvailability.WARMING_UP)
              .orElse(false)) {
        throw ApplicationFailure.newFailure(
            "node " + node + " still serves the shard and is warming up", "PageserverUnavailable");
      }
    }
  }

  /** Another available node that the observed state says serves the shard in AttachedSingle. */
  private static List<NodeId> attachedElsewhere(ShardSnapshot snapshot, NodeId destination) {
    return snapshot.observed().entrySet().stream()
        .filter(e -> !e.getKey().equals(destination))
        .filter(e -> snapshot.availableNodes().contains(e.getKey()))
        .filter(
            e ->
                e.getValue().isPresent()
                    && e.getValue().get().mode() == LocationConfigMode.ATTACHED_SINGLE
                    && e.getValue().get().generation() != null)
        .map(Map.Entry::getKey)
        .sorted()
        .toList();
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
