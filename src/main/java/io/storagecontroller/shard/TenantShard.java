package io.storagecontroller.shard;

import io.storagecontroller.model.Generation;
import io.storagecontroller.model.NodeId;
import io.storagecontroller.model.PlacementPolicy;
import io.storagecontroller.model.ShardSchedulingPolicy;
import io.storagecontroller.model.ShardStripeSize;
import io.storagecontroller.model.TenantShardId;
import io.storagecontroller.pageserver.PageserverJson;
import io.storagecontroller.scheduler.Scheduler;
import java.util.List;
import tools.jackson.databind.node.ObjectNode;

/**
 * One tenant shard in memory: its durable fields (a copy of its row), its intended placement (whose
 * every change moves the scheduler's counts) and what pageservers last confirmed. Only {@link
 * ShardStore} sees it, and only under its monitor; everyone else reads {@link ShardView}s.
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

  TenantShard(TenantShardRow row, IntentState intent) {
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

  ShardStripeSize stripeSize() {
    return stripeSize;
  }

  Generation generation() {
    return generation;
  }

  NodeId generationPageserver() {
    return generationPageserver;
  }

  PlacementPolicy policy() {
    return policy;
  }

  ShardSchedulingPolicy schedulingPolicy() {
    return schedulingPolicy;
  }

  ObjectNode config() {
    return config;
  }

  boolean splitting() {
    return splitting;
  }

  Long heldBy() {
    return heldBy;
  }

  IntentState intent() {
    return intent;
  }

  ObservedState observed() {
    return observed;
  }

  /**
   * A generation committed to the database. Generations only grow, so when two writers race to
   * memory the newer one wins whatever the order they arrive in.
   */
  void generationIssued(Generation issued, NodeId node) {
    if (generation == null || issued.compareTo(generation) > 0) {
      generation = issued;
      generationPageserver = node;
    }
  }

  /** Takes what a committed draft changed. The draft's intent already carries its counts. */
  void apply(ShardDraft draft) {
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
    sequence++;
  }

  /** The operation holding the shard ended. */
  void release() {
    heldBy = null;
    sequence++;
  }

  /** A split that had not committed was undone: idle and released again. */
  void endSplitting() {
    splitting = false;
    heldBy = null;
    sequence++;
  }

  /** Something about the shard changed outside an edit (a node it used was forgotten). */
  void touched() {
    sequence++;
  }

  void recordReconcile(String error) {
    lastError = error == null ? "" : error;
  }

  ShardView view() {
    return new ShardView(
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
  }

  /** The row this shard persists as. */
  TenantShardRow toRow() {
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
