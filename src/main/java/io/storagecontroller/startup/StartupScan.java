package io.storagecontroller.startup;

import io.storagecontroller.compute.ComputeNotifications;
import io.storagecontroller.leadership.ObservedSnapshot;
import io.storagecontroller.model.NodeAvailability;
import io.storagecontroller.model.NodeId;
import io.storagecontroller.model.StepFailure;
import io.storagecontroller.model.TenantId;
import io.storagecontroller.model.TenantShardId;
import io.storagecontroller.node.NodeService;
import io.storagecontroller.pageserver.LocationConfig;
import io.storagecontroller.pageserver.PageserverClient;
import io.storagecontroller.pageserver.PageserverClients;
import io.storagecontroller.reconcile.ReconcileSweep;
import io.storagecontroller.shard.ShardStore;
import io.storagecontroller.shard.ShardView;
import io.storagecontroller.shard.SnapshotApplied;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ConcurrentHashMap;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.stereotype.Component;

/**
 * Start-up's steps: learn what every node holds, reconcile what differs, open the API, tell
 * computes where their shards are, and detach what no shard owns. Every step belongs to one boot
 * (this process's life) and refuses to act for another: a start-up left by a dead process must
 * never mark the next one ready.
 */
@Component
public class StartupScan {
  private static final Logger log = LoggerFactory.getLogger(StartupScan.class);

  private final BootId boot;
  private final NodeService nodes;
  private final ShardStore store;
  private final PageserverClients clients;
  private final ReconcileSweep sweep;
  private final Readiness readiness;
  private final ComputeNotifications notifications;
  private final Map<NodeId, List<TenantShardId>> strays = new ConcurrentHashMap<>();
  // Not "available": a heartbeat may find a node up whose scan failed, and it still holds unknowns.
  private final Set<NodeId> scanned = ConcurrentHashMap.newKeySet();
  private volatile ObservedSnapshot observedAhead;

  /** What {@link #applySnapshotInBackground} took into memory, by node; none until it runs. */
  private volatile CompletableFuture<Map<NodeId, Applied>> applied =
      CompletableFuture.completedFuture(Map.of());

  /** One node's locations taken from the snapshot: how many of known shards, and the strays. */
  private record Applied(int known, List<TenantShardId> strays) {}

  private volatile CompletableFuture<Optional<ObservedSnapshot>> snapshot =
      CompletableFuture.completedFuture(Optional.empty());

  /** Node listings asked for while the shards load (see {@link #listAhead}); each taken once. */
  private final Map<NodeId, ListedAhead> listedAhead = new ConcurrentHashMap<>();

  /** A listing asked for ahead: when ({@link System#nanoTime}), and its answer. */
  private record ListedAhead(
      long askedAt, CompletableFuture<Map<TenantShardId, LocationConfig>> answer) {}

  public StartupScan(
      BootId boot,
      NodeService nodes,
      ShardStore store,
      PageserverClients clients,
      ReconcileSweep sweep,
      Readiness readiness,
      ComputeNotifications notifications) {
    this.boot = boot;
    this.nodes = nodes;
    this.store = store;
    this.clients = clients;
    this.sweep = sweep;
    this.readiness = readiness;
    this.notifications = notifications;
  }

  /**
   * What the leader that stepped down for this controller had observed: the nodes it covers are
   * taken from it instead of listing their locations again (Neon's handover).
   */
  public void useSnapshot(CompletableFuture<Optional<ObservedSnapshot>> observed) {
    snapshot =
        observed.thenApply(
            read -> {
              read.ifPresentOrElse(
                  s ->
                      log.info(
                          "start-up: the previous leader's snapshot has {} locations on {} nodes",
                          s.size(),
                          s.nodes().size()),
                  () -> log.info("start-up: no snapshot from the previous leader; scanning"));
              return read;
            });
  }

  /**
   * A candidate's read ahead of the leader's observed state, put in memory before the takeover so
   * that the start-up scans from the snapshot only confirm what memory already holds.
   */
  public void observeAhead(ObservedSnapshot ahead) {
    long start = System.nanoTime();
    store.observeAhead(ahead.byShard());
    observedAhead = ahead;
    log.info(
        "candidate: put the leader's observed state read ahead in memory in {} ms",
        (System.nanoTime() - start) / 1_000_000);
  }

  /** The snapshot once read (empty when there is none), what was put in memory ahead settled. */
  private ObservedSnapshot snapshot() {
    ObservedSnapshot read = snapshot.join().orElse(ObservedSnapshot.empty());
    settleObservedAhead(read);
    return read;
  }

  /**
   * What was put in memory ahead and the snapshot disagree on becomes "not observed" again, so that
   * the scans start from what they would without a read ahead: the shards the step-down's answer
   * replaced, the nodes the snapshot no longer covers (they are listed), or everything when the
   * snapshot is not the read ahead brought up to date (a whole answer, or none).
   */
  private synchronized void settleObservedAhead(ObservedSnapshot read) {
    ObservedSnapshot ahead = observedAhead;
    if (ahead == null) {
      return;
    }
    observedAhead = null;
    Optional<Set<TenantShardId>> replaced = read.replacedSince(ahead);
    if (replaced.isEmpty()) {
      store.forgetObserved(ahead.byShard().keySet());
      log.info("start-up: the observed state read ahead is forgotten; taking the answer whole");
      return;
    }
    store.forgetObserved(replaced.get());
    for (NodeId node : ahead.nodes()) {
      if (!read.nodes().contains(node)) {
        store.forgetObservedOn(node);
      }
    }
  }

  /**
   * Takes the previous leader's snapshot into memory for every node it covers, on a thread of its
   * own, once the shards are loaded: it runs while the workers start and the start-up workflow's
   * first task is fetched, and that workflow's scan of a covered node then only checks that the
   * node is up. Taking a node's locations before hearing from it changes nothing a failed scan
   * would not: the locations read ahead stay in memory for it either way, and a reconcile skips a
   * node that is not Active.
   */
  public void applySnapshotInBackground() {
    CompletableFuture<Map<NodeId, Applied>> applying = new CompletableFuture<>();
    applied = applying;
    Thread thread =
        new Thread(
            () -> {
              try {
                applying.complete(applySnapshot());
              } catch (RuntimeException e) {
                // The scans fall back to listing those nodes.
                log.warn("start-up: the previous leader's snapshot not taken ({})", e.toString());
                applying.complete(Map.of());
              }
            },
            "start-up-snapshot");
    thread.start();
  }

  private Map<NodeId, Applied> applySnapshot() {
    long start = System.nanoTime();
    ObservedSnapshot snapshot = snapshot();
    if (snapshot.nodes().isEmpty()) {
      return Map.of();
    }
    SnapshotApplied found = store.observeSnapshot(snapshot.byShard());
    Map<NodeId, Applied> taken = new HashMap<>();
    for (NodeId node : snapshot.nodes()) {
      taken.put(node, new Applied(found.known(node), found.strays(node)));
    }
    log.info(
        "start-up: the previous leader's snapshot taken into memory for {} nodes in {} ms",
        taken.size(),
        (System.nanoTime() - start) / 1_000_000);
    return taken;
  }

  /**
   * A restart asks every node for its locations while it loads its shards from the database, rather
   * than after (at 100,000 shards the listings took longer than the load): a listing asked for now
   * holds what one asked for after the load would, since nothing acts on a pageserver before the
   * start-up scan has heard from the nodes ({@link ShardStore#asWriter} waits for it). One thread
   * per node, as the scans run one step per node. A listing that failed, or of a node that
   * re-attached since (a pageserver restarting meanwhile), is asked for again by the node's scan.
   */
  public void listAhead(Collection<NodeId> nodes) {
    for (NodeId node : nodes) {
      CompletableFuture<Map<TenantShardId, LocationConfig>> listing = new CompletableFuture<>();
      listedAhead.put(node, new ListedAhead(System.nanoTime(), listing));
      Thread thread =
          new Thread(
              () -> {
                try {
                  listing.complete(clients.client(node).listLocations());
                } catch (RuntimeException e) {
                  listing.completeExceptionally(e);
                }
              },
              "start-up-listing-" + node);
      thread.start();
    }
  }

  /**
   * The node's listing asked for ahead, or asked for now: when there is none, when it failed, or
   * when the node re-attached since it was asked for (what the re-attach put in memory is newer).
   */
  private Map<TenantShardId, LocationConfig> listing(NodeId node) {
    ListedAhead ahead = listedAhead.remove(node);
    if (ahead != null) {
      try {
        Map<TenantShardId, LocationConfig> listed = ahead.answer().join();
        if (!store.reAttachedSince(node, ahead.askedAt())) {
          return listed;
        }
        log.info("start-up: node {} re-attached since it was listed; asking again", node);
      } catch (CompletionException e) {
        log.info(
            "start-up: node {}'s listing asked for ahead failed ({}); asking again",
            node,
            e.getCause().toString());
      }
    }
    return clients.client(node).listLocations();
  }

  /** The registered nodes to scan. */
  public List<NodeId> nodesToScan(String bootId) {
    requireThisBoot(bootId);
    List<NodeId> all = nodes.list().stream().map(n -> n.id()).toList();
    log.info("start-up: scanning {} nodes", all.size());
    return all;
  }

  /**
   * Reads one node's locations into the observed state and marks the node available; returns how
   * many locations of known shards it holds. A node that does not answer fails the step.
   */
  public int scanNode(String bootId, NodeId node) {
    requireThisBoot(bootId);
    Applied fromSnapshot = applied.join().get(node);
    if (fromSnapshot != null) {
      return fromSnapshot(node, fromSnapshot);
    }
    long asking = System.nanoTime();
    Map<TenantShardId, LocationConfig> held = listing(node);
    long taking = System.nanoTime();
    List<TenantShardId> unknown = store.observeNode(node, held);
    scanned.add(node);
    nodes.setAvailability(node, NodeAvailability.ACTIVE);
    strays.put(node, unknown);
    int known = held.size() - unknown.size();
    log.info(
        "start-up scan of node {}: {} locations, {} strays (listing waited for {} ms, taken into"
            + " memory in {} ms)",
        node,
        known,
        unknown.size(),
        (taking - asking) / 1_000_000,
        (System.nanoTime() - taking) / 1_000_000);
    return known;
  }

  /**
   * A node the previous leader's snapshot covers, its locations already taken from it: done once
   * the node is known to be up (a heartbeat of this process found it Active since the nodes were
   * loaded, or else one utilization call). At most one call instead of a listing.
   */
  private int fromSnapshot(NodeId node, Applied taken) {
    if (nodes.find(node).map(n -> n.availability() != NodeAvailability.ACTIVE).orElse(true)) {
      clients.client(node).utilization();
    }
    scanned.add(node);
    nodes.setAvailability(node, NodeAvailability.ACTIVE);
    strays.put(node, taken.strays());
    log.info(
        "start-up: node {} from the previous leader's snapshot: {} locations, {} strays",
        node,
        taken.known(),
        taken.strays().size());
    return taken.known();
  }

  /** How many strays the node's scan found. */
  public int straysOf(NodeId node) {
    return strays.getOrDefault(node, List.of()).size();
  }

  /**
   * Opens the API and requests a reconcile for every tenant whose observed state differs from its
   * intent. A node whose scan failed may hold any of the shards placed on it: "unknown", not
   * "nothing", so that a reconcile asks it again once it answers instead of attaching elsewhere
   * beside it. Ready before the sweep, as Neon's start-up completes once its {@code reconcile_all}
   * has only spawned the reconciles: a request meanwhile finds its tenant as the periodic sweep
   * would, and what it asks for is reconciled either way. (The workflow's {@code markReady} that
   * follows is then a no-op; it stays for the workflows' histories.)
   */
  public int reconcileDirty(String bootId) {
    requireThisBoot(bootId);
    // Settles what was observed ahead even when no node was scanned, and waits for the snapshot's
    // locations to be in memory.
    snapshot();
    applied.join();
    store.markUnknown(this::unscannedPlacements);
    store.scanned();
    readiness.markReady();
    return sweep.sweep();
  }

  private List<NodeId> unscannedPlacements(ShardView shard) {
    List<NodeId> placed = new ArrayList<>(shard.intendedNodes());
    if (shard.generationPageserver() != null) {
      placed.add(shard.generationPageserver());
    }
    return placed.stream()
        .filter(node -> !scanned.contains(node) && !shard.observed().containsKey(node))
        .toList();
  }

  /** Opens the tenant API and turns {@code /ready} to 200. */
  public void markReady(String bootId) {
    requireThisBoot(bootId);
    readiness.markReady();
  }

  /** Tenants with an attached shard, whose computes are told where their shards are. */
  public List<TenantId> tenantsToNotify(String bootId) {
    requireThisBoot(bootId);
    Set<TenantId> tenants = new LinkedHashSet<>();
    for (ShardView shard : store.all()) {
      if (shard.attached() != null) {
        tenants.add(shard.id().tenantId());
      }
    }
    return List.copyOf(tenants);
  }

  /** Notifies a batch of tenants' computes; never fails (undelivered ones stay pending). */
  public void notifyComputes(String bootId, List<TenantId> tenants, Duration wait) {
    requireThisBoot(bootId);
    int settled = notifications.notifyBatch(tenants, false, wait);
    log.info("start-up compute notifications: {} of {} settled", settled, tenants.size());
  }

  /** Detaches locations the node holds for shards the controller does not know. */
  public int detachStrays(String bootId, NodeId node) {
    requireThisBoot(bootId);
    List<TenantShardId> found = strays.getOrDefault(node, List.of());
    PageserverClient client = clients.client(node);
    int detached = 0;
    for (TenantShardId id : found) {
      if (store.claims(id)) {
        continue; // created since the scan, or a child of a split under way
      }
      client.locationConfig(id, LocationConfig.detached(id), false, null);
      detached++;
    }
    strays.remove(node);
    log.info("detached {} stray locations from node {}", detached, node);
    return detached;
  }

  private void requireThisBoot(String bootId) {
    if (!boot.value().equals(bootId)) {
      throw StepFailure.fatal(
          "StaleBoot",
          "start-up workflow of boot " + bootId + " is not this process's (" + boot.value() + ")");
    }
  }
}
