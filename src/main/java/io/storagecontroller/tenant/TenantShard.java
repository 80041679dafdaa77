package io.storagecontroller.tenant;

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
 * One tenant shard in memory: its durable fields (a copy of the row), its intended placement (whose
 * every change updates the scheduler's counts) and what pageservers last confirmed. Guarded by
 * {@link ServiceState}'s lock; read it only through snapshots outside that lock.
 */
public final class TenantShard {
  private final TenantShardId id;
  private final ShardStripeSize stripeSize;
  private Generation generation;
  private NodeId generationPageserver;
  private PlacementPolicy policy;
  private ShardSchedulingPolicy schedulingPolicy;
  private ObjectNode config;
  private boolean splitting;
  private final IntentState intent;
  private final ObservedState observed = new ObservedState();
  private long sequence;
  private String lastError = "";
  private boolean pendingComputeNotification;

  /**
   * The destination of a running live migration (memory only: after a restart the start-up
   * reconcile drives the persisted intent instead); the migration workflow owns the shard's
   * pageserver calls meanwhile.
   */
  private NodeId migratingTo;

  TenantShard(TenantShardRow row, Scheduler scheduler) {
    this.id = row.id();
    this.stripeSize = row.stripeSize();
    this.generation = row.generation();
    this.generationPageserver = row.generationPageserver();
    this.policy = row.placementPolicy();
    this.schedulingPolicy = row.schedulingPolicy();
    this.config = parseConfig(row.config());
    this.splitting = row.splitting();
    this.intent = new IntentState(scheduler, row.preferredAz());
  }

  static ObjectNode parseConfig(String json) {
    if (json == null || json.isBlank()) {
      return PageserverJson.mapper().createObjectNode();
    }
    return (ObjectNode) PageserverJson.mapper().readTree(json);
  }

  public TenantShardId id() {
    return id;
  }

  public ShardStripeSize stripeSize() {
    return stripeSize;
  }

  public Generation generation() {
    return generation;
  }

  public NodeId generationPageserver() {
    return generationPageserver;
  }

  public PlacementPolicy policy() {
    return policy;
  }

  public ShardSchedulingPolicy schedulingPolicy() {
    return schedulingPolicy;
  }

  public ObjectNode config() {
    return config;
  }

  public boolean splitting() {
    return splitting;
  }

  /**
   * The tenant enters or leaves a shard split (already written to the database). While splitting,
   * the split workflow alone talks to pageservers about this shard.
   */
  public void setSplitting(boolean value) {
    splitting = value;
  }

  public IntentState intent() {
    return intent;
  }

  public ObservedState observed() {
    return observed;
  }

  public long sequence() {
    return sequence;
  }

  public String lastError() {
    return lastError;
  }

  public NodeId migratingTo() {
    return migratingTo;
  }

  public boolean migrating() {
    return migratingTo != null;
  }

  void setMigratingTo(NodeId destination) {
    migratingTo = destination;
  }

  public boolean pendingComputeNotification() {
    return pendingComputeNotification;
  }

  /** A new generation was issued to {@code node} (already committed to the database). */
  public void generationIssued(Generation issued, NodeId node) {
    // The database issues strictly increasing generations: when two writers race to memory, the
    // newer generation wins.
    if (generation == null || issued.compareTo(generation) > 0) {
      generation = issued;
      generationPageserver = node;
    }
  }

  /**
   * See {@link TenantShardPersistence#adoptGeneration}: only a shard with no generation adopts one.
   */
  void adoptGeneration(Generation adopted) {
    if (generation == null) {
      generation = adopted;
    }
  }

  void setPolicy(PlacementPolicy newPolicy, ShardSchedulingPolicy newScheduling) {
    policy = newPolicy;
    schedulingPolicy = newScheduling;
    if (!(newPolicy instanceof PlacementPolicy.Attached)) {
      generationPageserver = null;
    }
  }

  void setConfig(ObjectNode newConfig) {
    config = newConfig;
  }

  void bumpSequence() {
    sequence++;
  }

  public void recordReconcileSuccess() {
    lastError = "";
  }

  public void recordReconcileError(String error) {
    lastError = error == null ? "unknown error" : error;
  }

  void setPendingComputeNotification(boolean pending) {
    pendingComputeNotification = pending;
  }

  /**
   * Sets the placement policy alone (the debug attach-hook), keeping the scheduling policy; leaving
   * attached placement clears generation_pageserver. Write the row first.
   */
  public void setPlacementPolicy(PlacementPolicy newPolicy) {
    setPolicy(newPolicy, schedulingPolicy);
  }

  /** The intent was changed from outside this package (debug drops, attach-hook). */
  public void markIntentChanged() {
    bumpSequence();
  }

  /** The row this shard persists as. */
  public TenantShardRow toRow() {
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
        List.copyOf(intent.secondaries()));
  }
}
