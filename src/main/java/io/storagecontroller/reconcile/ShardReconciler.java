package io.storagecontroller.reconcile;

import io.storagecontroller.failpoint.FailpointNames;
import io.storagecontroller.failpoint.FailpointTriggered;
import io.storagecontroller.failpoint.Failpoints;
import io.storagecontroller.model.Generation;
import io.storagecontroller.model.LocationConfigMode;
import io.storagecontroller.model.NodeAvailability;
import io.storagecontroller.model.NodeId;
import io.storagecontroller.model.StepFailure;
import io.storagecontroller.model.TenantId;
import io.storagecontroller.model.TenantShardId;
import io.storagecontroller.node.NodeService;
import io.storagecontroller.pageserver.LocationConfig;
import io.storagecontroller.pageserver.PageserverException;
import io.storagecontroller.shard.LocationConfigs;
import io.storagecontroller.shard.ShardStore;
import io.storagecontroller.shard.ShardView;
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
 * Drives one shard's pageservers to its intent, as its only writer: plan against a snapshot, attach
 * first (a new generation is committed before any pageserver sees it; a shard still attached
 * elsewhere is moved in live-migration order), then secondaries and detaches, all attempted even
 * when one fails (Neon's #12745). Offline nodes are not called; their locations become unknown.
 * Shards held by an operation are left to it.
 */
@Component
public class ShardReconciler {
  private static final Logger log = LoggerFactory.getLogger(ShardReconciler.class);

  private final ShardStore store;
  private final NodeService nodes;
  private final LocationWriter writer;
  private final LiveMigrationSteps migration;
  private final ReconcileMetrics metrics;
  private final Failpoints failpoints;
  private final ReconcileSlots slots;

  public ShardReconciler(
      ShardStore store,
      NodeService nodes,
      LocationWriter writer,
      LiveMigrationSteps migration,
      ReconcileMetrics metrics,
      Failpoints failpoints,
      ReconcileSlots slots) {
    this.slots = slots;
    this.store = store;
    this.nodes = nodes;
    this.writer = writer;
    this.migration = migration;
    this.metrics = metrics;
    this.failpoints = failpoints;
  }

  /**
   * What one shard's reconcile achieved. {@code attachmentChanged}: a compute may need to learn a
   * new location; {@code clean}: nothing is left to do (false when an offline node was skipped).
   */
  public record Outcome(boolean attachmentChanged, boolean clean) {}

  /** The shards of a tenant the reconciler has work on, in shard order. */
  public List<TenantShardId> dirtyShards(TenantId tenant) {
    return ShardReconcilePlanner.dirty(store.tenant(tenant), nodes.availableNodes());
  }

  /**
   * Reconciles the shard. A pageserver failure is recorded on the shard and thrown ({@link
   * PageserverException#retryable()} says whether to try again).
   */
  public Outcome reconcile(TenantShardId id) {
    return reconcile(id, ReconcileSlots.Priority.NORMAL);
  }

  /** As {@link #reconcile(TenantShardId)}, in a slot of this priority (waiting for one). */
  public Outcome reconcile(TenantShardId id, ReconcileSlots.Priority priority) {
    return slots.run(id, priority, () -> store.asWriter(id, () -> reconcileAsWriter(id)));
  }

  private Outcome reconcileAsWriter(TenantShardId id) {
    MDC.put("tenant_shard_id", id.toString());
    long started = System.nanoTime();
    boolean ok = false;
    try {
      failpoints.hit(FailpointNames.RECONCILER_PROLOGUE);
      Optional<ShardView> shard = store.shard(id);
      if (shard.isEmpty() || shard.get().held() || shard.get().splitting()) {
        ok = true; // deleted, or an operation's to move
        return new Outcome(false, true);
      }
      ShardSnapshot snapshot = new ShardSnapshot(shard.get(), nodes.availableNodes());
      ShardReconcilePlan plan = ShardReconcilePlanner.plan(snapshot);
      boolean attachmentChanged =
          plan.attach() != null && attach(id, plan.attach(), snapshot, true);
      failpoints.hit(FailpointNames.RECONCILER_PRE_SECONDARIES);
      List<PageserverException> failures = new ArrayList<>();
      List<ShardReconcilePlan.Change> changes = new ArrayList<>(plan.secondaries());
      changes.addAll(plan.detaches());
      for (ShardReconcilePlan.Change change : changes) {
        try {
          writer.apply(id, change.node(), change.wanted());
        } catch (PageserverException e) {
          failures.add(e);
        }
      }
      for (NodeId offline : plan.skippedOffline()) {
        store.observedUnknown(id, offline);
      }
      if (!failures.isEmpty()) {
        throw failures.get(0);
      }
      failpoints.hit(FailpointNames.RECONCILER_EPILOGUE);
      store.recordReconcile(id, null);
      ok = true;
      return new Outcome(attachmentChanged, plan.skippedOffline().isEmpty());
    } catch (PageserverException | FailpointTriggered | StepFailure e) {
      store.recordReconcile(id, e.getMessage() == null ? "unknown error" : e.getMessage());
      throw e;
    } finally {
      metrics.completed(ok, (System.nanoTime() - started) / 1e9);
      MDC.remove("tenant_shard_id");
    }
  }

  /** Returns whether a new generation was issued, i.e. the attachment moved. */
  private boolean attach(
      TenantShardId id, ShardReconcilePlan.Attach attach, ShardSnapshot snapshot, boolean recheck) {
    LocationConfig wanted = attach.wanted();
    if (attach.newGeneration()) {
      if (writer.refreshUnknown(id, snapshot, attach.node())) {
        Optional<ShardView> shard = store.shard(id);
        if (shard.isEmpty()) {
          return false;
        }
        snapshot = new ShardSnapshot(shard.get(), snapshot.availableNodes());
      }
      List<NodeId> holders = attachedElsewhere(snapshot, attach.node());
      // Holders of an older generation than the shard's (left behind by moves that raced) go
      // first; a holder of the current one hands over in live-migration order.
      for (NodeId superseded : holders) {
        if (superseded(snapshot.observed().get(superseded).orElseThrow(), snapshot)) {
          writer.apply(id, superseded, LocationConfigs.afterAttached(snapshot.shard(), superseded));
          log.info("removed superseded attachment on node {}", superseded);
        }
      }
      ShardSnapshot seen = snapshot;
      Optional<NodeId> origin =
          holders.stream()
              .filter(n -> !superseded(seen.observed().get(n).orElseThrow(), seen))
              .findFirst();
      if (origin.isPresent()) {
        return cutOver(id, origin.get(), attach.node());
      }
      requireNoWarmingUpHolder(snapshot, attach.node());
      failpoints.hit(FailpointNames.RECONCILER_PRE_INCREMENT_GENERATION);
      Optional<Generation> issued = store.issueGeneration(id, attach.node());
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
        Optional<ShardView> shard = store.shard(id);
        return shard.isPresent()
            && attach(id, attach, new ShardSnapshot(shard.get(), nodes.availableNodes()), false);
      }
      wanted = LocationConfigs.withMode(wanted, issued.get(), LocationConfigMode.ATTACHED_SINGLE);
    }
    // Neon attaches lazily from background reconciles so many tenants do not activate at once.
    writer.apply(id, attach.node(), wanted, true, null);
    return attach.newGeneration();
  }

  /**
   * Moves the attachment off a node that still serves it, in live-migration order, back to back:
   * the warm-up, LSN catch-up and blocking notification are the migration workflow's.
   */
  private boolean cutOver(TenantShardId id, NodeId origin, NodeId destination) {
    migration.stepDownOrigin(id, origin);
    migration.attachDestination(id, destination);
    migration.demoteOrigin(id, origin, false);
    migration.finalizeDestination(id, destination);
    log.info("moved attachment from node {} to node {}", origin, destination);
    return true;
  }

  /**
   * A holder whose generation is older than the shard's (a newer one was issued since, to a node
   * that re-attached, say) cannot be stepped down with its own generation (a pageserver refuses an
   * attachment older than the newest) and has nothing left to hand over: it is detached, or made
   * the secondary its intent says, before anything is attached.
   */
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
        throw StepFailure.retryLater(
            "PageserverUnavailable", "node " + node + " still serves the shard and is warming up");
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
}
