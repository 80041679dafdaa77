package io.storagecontroller.shard;

import io.storagecontroller.model.Generation;
import io.storagecontroller.model.NodeId;
import io.storagecontroller.model.PlacementPolicy;
import io.storagecontroller.model.ShardSchedulingPolicy;
import io.storagecontroller.model.TenantShardId;
import io.storagecontroller.pageserver.LocationConfig;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import tools.jackson.databind.node.ObjectNode;

/**
 * The changeable part of one shard, handed to a {@link TenantEdit}: placement and scheduling
 * policy, config, intended placement, the splitting mark and the operation holding the shard. The
 * store writes a draft's row and then copies it into memory; until then the shard itself is
 * untouched.
 *
 * <p>The draft's {@link #intent()} is a copy bound to the live scheduler: placing it reserves the
 * nodes at once (so concurrent placements see each other), and the reservation is undone if the
 * write fails.
 */
public final class ShardDraft {
  private final ShardView before;
  private final IntentState original;
  private final IntentState intent;
  private PlacementPolicy policy;
  private ShardSchedulingPolicy schedulingPolicy;
  private ObjectNode config;
  private boolean splitting;
  private Long heldBy;
  private Generation adoptedGeneration;
  private final List<NodeId> observedUnknown = new ArrayList<>();
  private final Map<NodeId, LocationConfig> observedHeld = new LinkedHashMap<>();

  ShardDraft(ShardView before, IntentState original) {
    this.before = before;
    this.original = original;
    this.intent = original.copy();
    this.policy = before.policy();
    this.schedulingPolicy = before.schedulingPolicy();
    this.config = before.config();
    this.splitting = before.splitting();
    this.heldBy = before.heldBy();
  }

  public TenantShardId id() {
    return before.id();
  }

  /** The shard as it was when the edit began (generation and observed state included). */
  public ShardView before() {
    return before;
  }

  /** The intended placement to edit; every change moves the scheduler's counts. */
  public IntentState intent() {
    return intent;
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

  public Long heldBy() {
    return heldBy;
  }

  public void setPolicy(PlacementPolicy newPolicy) {
    policy = Objects.requireNonNull(newPolicy, "policy");
  }

  public void setSchedulingPolicy(ShardSchedulingPolicy newPolicy) {
    schedulingPolicy = Objects.requireNonNull(newPolicy, "schedulingPolicy");
  }

  /** Replaces the tenant config; the store keeps {@code newConfig} and nobody may modify it. */
  public void setConfig(ObjectNode newConfig) {
    config = Objects.requireNonNull(newConfig, "config");
  }

  public void setSplitting(boolean value) {
    splitting = value;
  }

  /** The operation takes the shard: the reconciler leaves it alone until it is released. */
  public void holdFor(long operationId) {
    heldBy = operationId;
  }

  public void release() {
    heldBy = null;
  }

  /**
   * The first attach after onboarding as Secondary adopts the caller's generation; a shard that has
   * one keeps it (afterwards the controller alone issues generations).
   */
  public void adoptGeneration(Generation generation) {
    adoptedGeneration = before.generation() == null ? generation : null;
  }

  /**
   * After the write, what this node holds is unknown (a split took the shard away from it, say):
   * memory only, like all observed state.
   */
  public void markObservedUnknown(NodeId node) {
    observedUnknown.add(node);
  }

  /**
   * After the write, the node is known to hold this location (the caller put it there): memory
   * only, like all observed state.
   */
  public void observe(NodeId node, LocationConfig config) {
    observedHeld.put(node, config);
  }

  Map<NodeId, LocationConfig> observedHeld() {
    return observedHeld;
  }

  Generation adoptedGeneration() {
    return adoptedGeneration;
  }

  /** Leaving attached placement: no node holds the current generation any more. */
  boolean clearsGenerationPageserver() {
    return !(policy instanceof PlacementPolicy.Attached) && before.generationPageserver() != null;
  }

  List<NodeId> observedUnknown() {
    return observedUnknown;
  }

  /** Whether the row must be written. */
  boolean changed() {
    return !policy.equals(before.policy())
        || schedulingPolicy != before.schedulingPolicy()
        || !config.equals(before.config())
        || splitting != before.splitting()
        || !Objects.equals(heldBy, before.heldBy())
        || adoptedGeneration != null
        || clearsGenerationPageserver()
        || !Objects.equals(intent.attached(), before.attached())
        || !intent.secondaries().equals(before.secondaries())
        || !Objects.equals(intent.preferredAz(), before.preferredAz());
  }

  /** Whether memory must take something even if the row is unchanged. */
  boolean touchesMemory() {
    return changed() || !observedUnknown.isEmpty() || !observedHeld.isEmpty();
  }

  /** Gives back the nodes the draft reserved: the write failed or the edit was refused. */
  void revert() {
    intent.resetTo(original);
  }

  /** The row this draft writes. */
  TenantShardRow toRow() {
    return new TenantShardRow(
        before.id(),
        before.stripeSize(),
        adoptedGeneration != null ? adoptedGeneration : before.generation(),
        clearsGenerationPageserver() ? null : before.generationPageserver(),
        policy,
        splitting,
        config.toString(),
        schedulingPolicy,
        intent.preferredAz(),
        intent.attached(),
        intent.secondaries(),
        heldBy);
  }
}
