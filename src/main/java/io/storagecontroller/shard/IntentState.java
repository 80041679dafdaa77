package io.storagecontroller.shard;

import io.storagecontroller.model.NodeId;
import io.storagecontroller.model.PlacementPolicy;
import io.storagecontroller.model.ShardSchedulingPolicy;
import io.storagecontroller.model.TenantShardId;
import io.storagecontroller.scheduler.RefCountUpdate;
import io.storagecontroller.scheduler.ScheduleContext;
import io.storagecontroller.scheduler.ScheduleException;
import io.storagecontroller.scheduler.ScheduleRequest;
import io.storagecontroller.scheduler.Scheduler;
import io.storagecontroller.scheduler.ShardLocations;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Objects;

/**
 * Where one tenant shard should live: at most one attached node and an ordered list of secondaries,
 * never sharing a node. Every change goes through a method that also moves the scheduler's
 * counters, so they always equal a recount of all intents; {@link #clear()} before dropping an
 * intent, or its counts stay behind (the consistency check would report them).
 *
 * <p>Not thread-safe: the store changes intents under its monitor, or on a draft's copy that only
 * one edit sees.
 */
public final class IntentState implements ShardLocations {
  private final Scheduler scheduler;
  private NodeId attached;
  private final List<NodeId> secondaries = new ArrayList<>();
  private String preferredAz;

  public IntentState(Scheduler scheduler) {
    this(scheduler, null);
  }

  public IntentState(Scheduler scheduler, String preferredAz) {
    this.scheduler = Objects.requireNonNull(scheduler, "scheduler");
    this.preferredAz = preferredAz;
  }

  /** A copy for a draft: the same placement, sharing the counts already taken (none moves). */
  IntentState copy() {
    IntentState copy = new IntentState(scheduler, preferredAz);
    copy.attached = attached;
    copy.secondaries.addAll(secondaries);
    return copy;
  }

  /** Moves back to {@code other}'s placement, counts included (undoing a draft's reservation). */
  void resetTo(IntentState other) {
    clear();
    preferredAz = other.preferredAz;
    if (other.attached != null) {
      setAttached(other.attached);
    }
    other.secondaries.forEach(this::addSecondary);
  }

  /** The attached node, or null. */
  @Override
  public NodeId attached() {
    return attached;
  }

  @Override
  public List<NodeId> secondaries() {
    return List.copyOf(secondaries);
  }

  /** The shard's home AZ, or null. */
  @Override
  public String preferredAz() {
    return preferredAz;
  }

  /** The attached node first, then the secondaries in order. */
  public List<NodeId> allNodes() {
    List<NodeId> all = new ArrayList<>(secondaries.size() + 1);
    if (attached != null) {
      all.add(attached);
    }
    all.addAll(secondaries);
    return all;
  }

  /**
   * Attaches to the node, forgetting the previous attached node (use {@link #promoteSecondary} to
   * keep it as a secondary). If the node was a secondary it stops being one.
   */
  public boolean setAttached(NodeId node) {
    Objects.requireNonNull(node, "node");
    if (node.equals(attached)) {
      return false;
    }
    // The counting call comes first: it rejects an unknown node before anything has changed.
    if (secondaries.contains(node)) {
      scheduler.updateRefCounts(node, preferredAz, RefCountUpdate.PROMOTE_SECONDARY);
      secondaries.remove(node);
    } else {
      scheduler.updateRefCounts(node, preferredAz, RefCountUpdate.ATTACH);
    }
    NodeId previous = attached;
    attached = node;
    if (previous != null) {
      scheduler.updateRefCounts(previous, preferredAz, RefCountUpdate.DETACH);
    }
    return true;
  }

  public boolean clearAttached() {
    if (attached == null) {
      return false;
    }
    scheduler.updateRefCounts(attached, preferredAz, RefCountUpdate.DETACH);
    attached = null;
    return true;
  }

  /** Adds a secondary location; a node already holding one is left as it is. */
  public boolean addSecondary(NodeId node) {
    Objects.requireNonNull(node, "node");
    if (node.equals(attached)) {
      throw new IllegalArgumentException(
          "node " + node + " is this shard's attached location; a secondary cannot share it");
    }
    if (secondaries.contains(node)) {
      return false;
    }
    scheduler.updateRefCounts(node, preferredAz, RefCountUpdate.ADD_SECONDARY);
    secondaries.add(node);
    return true;
  }

  public boolean removeSecondary(NodeId node) {
    if (!secondaries.contains(node)) {
      return false;
    }
    scheduler.updateRefCounts(node, preferredAz, RefCountUpdate.REMOVE_SECONDARY);
    secondaries.remove(node);
    return true;
  }

  /**
   * Makes the secondary the attached location. A current attached node becomes a secondary rather
   * than being forgotten: it is warm, and it is where a drain or fill came from.
   */
  public void promoteSecondary(NodeId node) {
    if (!secondaries.contains(node)) {
      throw new IllegalArgumentException(
          "node " + node + " is not a secondary location of this shard: " + this);
    }
    scheduler.updateRefCounts(node, preferredAz, RefCountUpdate.PROMOTE_SECONDARY);
    secondaries.remove(node);
    NodeId previous = attached;
    attached = node;
    if (previous != null) {
      scheduler.updateRefCounts(previous, preferredAz, RefCountUpdate.DEMOTE_ATTACHED);
      secondaries.add(previous);
    }
  }

  /**
   * Turns the attached location into a secondary. Used when the attached node fails: its data may
   * still be warm when it returns, so the location is kept rather than forgotten.
   */
  public boolean demoteAttached() {
    if (attached == null) {
      return false;
    }
    scheduler.updateRefCounts(attached, preferredAz, RefCountUpdate.DEMOTE_ATTACHED);
    secondaries.add(attached);
    attached = null;
    return true;
  }

  /** Drops every location and its counts; call it before forgetting the shard. */
  public boolean clear() {
    boolean changed = clearAttached();
    for (NodeId node : List.copyOf(secondaries)) {
      changed |= removeSecondary(node);
    }
    return changed;
  }

  /** Drops any location on the node, as when the node is deleted or dropped. */
  public boolean derefNode(NodeId node) {
    boolean changed = node.equals(attached) && clearAttached();
    return removeSecondary(node) || changed;
  }

  /** Moves the shard's home AZ; the nodes' home-shard counters follow. */
  public boolean setPreferredAz(String az) {
    if (Objects.equals(az, preferredAz)) {
      return false;
    }
    for (NodeId node : allNodes()) {
      scheduler.changePreferredAz(node, preferredAz, az);
    }
    preferredAz = az;
    return true;
  }

  /**
   * Adds the locations the placement policy wants (Neon's TenantShard::schedule). For Attached it
   * only adds: surplus secondaries are the optimiser's to remove. Pause and Stop change nothing.
   *
   * <p>When a step finds no node it throws {@link ScheduleException} naming the shard. That step
   * changed nothing, so with no schedulable node at all the intent is left exactly as it was.
   * Earlier steps that succeeded (a promoted secondary, say) are kept: treat the intent as possibly
   * changed after a failure.
   *
   * <p>Either way, every node the shard then uses is added to the tenant's {@code context}.
   *
   * @return whether the intent changed
   */
  public boolean schedule(
      TenantShardId shard,
      PlacementPolicy policy,
      ShardSchedulingPolicy schedulingPolicy,
      ScheduleContext context) {
    try {
      return switch (schedulingPolicy) {
        case PAUSE, STOP -> false;
        case ACTIVE, ESSENTIAL -> place(policy, context);
      };
    } catch (ScheduleException e) {
      throw e.forShard(shard);
    } finally {
      context.avoid(allNodes());
    }
  }

  private boolean place(PlacementPolicy policy, ScheduleContext context) {
    if (policy instanceof PlacementPolicy.Attached wanted) {
      boolean changed = false;
      if (attached == null) {
        attachSomewhere(context);
        changed = true;
      }
      while (secondaries.size() < wanted.secondaries()) {
        addSecondary(
            scheduler.scheduleSecondary(
                ScheduleRequest.excluding(allNodes(), preferredAz, context)));
        changed = true;
      }
      return changed;
    }
    if (policy instanceof PlacementPolicy.Secondary) {
      boolean changed = demoteAttached();
      if (secondaries.isEmpty()) {
        // The attached score: a lone secondary is where the tenant attaches next, so it belongs
        // in the home AZ.
        addSecondary(
            scheduler.scheduleAttached(ScheduleRequest.excluding(List.of(), preferredAz, context)));
        changed = true;
      }
      while (secondaries.size() > 1) {
        removeSecondary(leastWantedSecondary());
        changed = true;
      }
      return changed;
    }
    return clear();
  }

  private void attachSomewhere(ScheduleContext context) {
    // A secondary outside the home AZ is the long-lived HA copy, likely warm; one inside it is
    // probably a short-lived migration target.
    NodeId promotable =
        secondaries.stream()
            .filter(scheduler::mayScheduleOn)
            .min(
                Comparator.<NodeId, Boolean>comparing(this::isInPreferredAz)
                    .thenComparing(Comparator.naturalOrder()))
            .orElse(null);
    if (promotable != null) {
      promoteSecondary(promotable);
    } else {
      setAttached(
          scheduler.scheduleAttached(ScheduleRequest.excluding(secondaries, preferredAz, context)));
    }
  }

  // The Secondary policy keeps the copy in the home AZ, ready to attach: drop the last outsider.
  private NodeId leastWantedSecondary() {
    for (int i = secondaries.size() - 1; i >= 0; i--) {
      if (!isInPreferredAz(secondaries.get(i))) {
        return secondaries.get(i);
      }
    }
    return secondaries.get(secondaries.size() - 1);
  }

  private boolean isInPreferredAz(NodeId node) {
    return preferredAz != null
        && scheduler.node(node).map(n -> preferredAz.equals(n.az())).orElse(false);
  }

  @Override
  public String toString() {
    return "IntentState{attached="
        + attached
        + ", secondaries="
        + secondaries
        + ", preferred_az="
        + preferredAz
        + "}";
  }
}
