package io.storagecontroller.shard;

import io.storagecontroller.model.Generation;
import io.storagecontroller.model.LocationConfigMode;
import io.storagecontroller.model.NodeId;
import io.storagecontroller.model.PlacementPolicy;
import io.storagecontroller.model.ShardSchedulingPolicy;
import io.storagecontroller.model.ShardStripeSize;
import io.storagecontroller.model.TenantShardId;
import io.storagecontroller.pageserver.LocationConfig;
import io.storagecontroller.pageserver.PageserverJson;
import io.storagecontroller.scheduler.Scheduler;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicInteger;
import tools.jackson.databind.node.ObjectNode;

/**
 * One tenant shard in memory: its durable fields (a copy of its row), its intended placement (whose
 * every change moves the scheduler's counts) and what pageservers last confirmed. Only {@link
 * ShardStore} sees it and changes it, under its monitor. Every change publishes a new {@link
 * ShardView}, which readers take without any lock: reads never wait for the monitor, and the
 * monitor is held only for the few writes.
 */
final class TenantShard {
  private final TenantShardId id;
  private final ShardStripeSize stripeSize;
  private Generation generation;
  private NodeId generationPageserver;
  private PlacementPolicy policy;
  private ShardSchedulingPolicy schedulingPolicy;
  private ObjectNode config;
  private boolean splitting;
  private Long heldBy;
  private IntentState intent;
  private final ObservedState observed = new ObservedState();
  private long sequence;
  private String lastError = "";

  /**
   * Neon's {@code consecutive_reconciles_count}: reconciles ended since the sweep last found
   * nothing to do for the shard. Atomic rather than under the monitor: the sweep reads or resets it
   * for every shard, and must not queue behind the writers for each.
   */
  private final AtomicInteger consecutiveReconciles = new AtomicInteger();

  /** The shard as of its last change. */
  private volatile ShardView view;

  /**
   * The view last found needing nothing, and the reachable nodes (the store's token of them) it was
   * found so against: a sweep or a waiter with the same view and nodes need not plan it again. One
   * field, so that two threads finding it clean at once cannot pair one's view with the other's
   * nodes.
   */
  private volatile CleanVerdict clean;

  private record CleanVerdict(ShardView view, Object against) {}

  /** Told of every view published, for whoever waits on the tenant. */
  private final TenantChangeWaits waits;

  TenantShard(TenantShardRow row, IntentState intent, TenantChangeWaits waits) {
    this.waits = waits;
    this.id = row.id();
    this.stripeSize = row.stripeSize();
    this.generation = row.generation();
    this.generationPageserver = row.generationPageserver();
    this.policy = row.placementPolicy();
    this.schedulingPolicy = row.schedulingPolicy();
    this.config = parseConfig(row.config());
    this.splitting = row.splitting();
    this.heldBy = row.heldBy();
    this.intent = intent;
    publish();
  }

  static ObjectNode parseConfig(String json) {
    if (json == null || json.isBlank()) {
      return PageserverJson.mapper().createObjectNode();
    }
    return (ObjectNode) PageserverJson.mapper().readTree(json);
  }

  /** A fresh intent for a row, with nothing placed yet (no scheduler counts taken). */
  static IntentState emptyIntent(TenantShardRow row, Scheduler scheduler) {
    return new IntentState(scheduler, row.preferredAz());
  }

  TenantShardId id() {
    return id;
  }

  /** The shard as of its last change; needs no lock. */
  ShardView view() {
    return view;
  }

  /** The live intent, for the store's drafts and counts (under its monitor). */
  IntentState intent() {
    return intent;
  }

  /** Whether its observed state changed after {@code mark} (see {@link ObservedState#now()}). */
  synchronized boolean observedChangedSince(long mark) {
    return observed.changedAt() > mark;
  }

  // Every change below is made under this shard's own lock and ends by publishing a new view. The
  // store calls them under its monitor too, but for what a pageserver reports (observed state) and
  // a reconcile's outcome: those touch one shard only, and every pageserver answer took the
  // store's monitor, the lock its threads queued on most (the benchmark's profile).

  /**
   * A generation committed to the database. Generations only grow, so when two writers race to
   * memory the newer one wins whatever the order they arrive in.
   */
  synchronized void generationIssued(Generation issued, NodeId node) {
    if (generation == null || issued.compareTo(generation) > 0) {
      generation = issued;
      generationPageserver = node;
      publish();
    }
  }

  /** Takes what a committed draft changed. The draft's intent already carries its counts. */
  synchronized void apply(ShardDraft draft) {
    policy = draft.policy();
    schedulingPolicy = draft.schedulingPolicy();
    config = draft.config();
    splitting = draft.splitting();
    heldBy = draft.heldBy();
    intent = draft.intent();
    if (generation == null && draft.adoptedGeneration() != null) {
      generation = draft.adoptedGeneration();
    }
    if (draft.clearsGenerationPageserver()) {
      generationPageserver = null;
    }
    draft.observedUnknown().forEach(observed::markUnknown);
    draft.observedHeld().forEach(observed::set);
    changed();
  }

  /**
   * What a pageserver confirmed holding (Detached: nothing is there any more). The change is always
   * recorded (its time orders it against a node's listing), but the view is only rebuilt when what
   * is observed differs: a takeover confirms tens of thousands of locations it already knew.
   */
  synchronized void observe(NodeId node, LocationConfig config) {
    Optional<LocationConfig> before = observed.locations().get(node);
    if (config.mode() == LocationConfigMode.DETACHED) {
      observed.remove(node);
      if (before != null) {
        publish();
      }
    } else {
      observed.set(node, config);
      if (before == null || !before.equals(Optional.of(config))) {
        publish();
      }
    }
  }

  synchronized void observeUnknown(NodeId node) {
    boolean already = observed.isUnknown(node);
    observed.markUnknown(node);
    if (!already) {
      publish();
    }
  }

  /** Forgets whatever was observed of it anywhere (a read ahead that may be stale). */
  synchronized void forgetObserved() {
    if (!observed.locations().isEmpty()) {
      observed.clear();
      publish();
    }
  }

  synchronized void observeGone(NodeId node) {
    if (observed.locations().containsKey(node)) {
      observed.remove(node);
      publish();
    }
  }

  /** The node is forgotten: out of the intent and the observed state; whether anything changed. */
  synchronized boolean forgetNode(NodeId node) {
    boolean changed = intent.derefNode(node) | observed.locations().containsKey(node);
    observed.remove(node);
    if (changed) {
      changed();
    }
    return changed;
  }

  /** Gives back the scheduler counts of the intent: the shard is being forgotten. */
  synchronized void clearIntent() {
    intent.clear();
    changed();
  }

  /** The operation holding the shard ended. */
  synchronized void release() {
    heldBy = null;
    changed();
  }

  /** A split that had not committed was undone: idle and released again. */
  synchronized void endSplitting() {
    splitting = false;
    heldBy = null;
    changed();
  }

  synchronized void recordReconcile(String error) {
    lastError = error == null ? "" : error;
    consecutiveReconciles.incrementAndGet();
    publish();
  }

  int consecutiveReconciles() {
    return consecutiveReconciles.get();
  }

  void resetConsecutiveReconciles() {
    // Read first: the sweep calls this for every clean shard, almost all of them at 0 already.
    if (consecutiveReconciles.get() != 0) {
      consecutiveReconciles.set(0);
    }
  }

  /** Whether this very view was found clean against the same reachable nodes. */
  boolean knownClean(ShardView current, Object nodes) {
    CleanVerdict verdict = clean;
    return verdict != null && verdict.view() == current && verdict.against() == nodes;
  }

  void foundClean(ShardView current, Object nodes) {
    clean = new CleanVerdict(current, nodes);
  }

  /** A change of the shard's own state: its sequence moves, then its view. */
  private void changed() {
    sequence++;
    publish();
  }

  private void publish() {
    view =
        new ShardView(
            id,
            stripeSize,
            generation,
            generationPageserver,
            policy,
            schedulingPolicy,
            config,
            splitting,
            heldBy,
            intent.attached(),
            intent.secondaries(),
            intent.preferredAz(),
            observed.locations(),
            lastError,
            sequence);
    waits.changed(id.tenantId());
  }

  /** The row this shard persists as. */
  synchronized TenantShardRow toRow() {
    return new TenantShardRow(
        id,
        stripeSize,
        generation,
        generationPageserver,
        policy,
        splitting,
        config.toString(),
        schedulingPolicy,
        intent.preferredAz(),
        intent.attached(),
        List.copyOf(intent.secondaries()),
        heldBy);
  }
}
