package io.storagecontroller.reconcile;

import io.storagecontroller.model.NodeId;
import io.storagecontroller.pageserver.LocationConfig;
import java.util.List;

/**
 * The pageserver calls that bring one shard from its observed state to its intent. The attach comes
 * first (it may need a new generation from the database); secondaries and detaches follow and are
 * all attempted even when one fails (Neon's #12745). Offline nodes are not called: their locations
 * are marked unknown and the shard stays dirty until they return.
 */
public record ShardReconcilePlan(
    Attach attach, List<Change> secondaries, List<Change> detaches, List<NodeId> skippedOffline) {

  public ShardReconcilePlan {
    secondaries = List.copyOf(secondaries);
    detaches = List.copyOf(detaches);
    skippedOffline = List.copyOf(skippedOffline);
  }

  /**
   * Attach (or reconfigure) the intended attached location. {@code newGeneration} says the node
   * does not hold the current generation in that mode, so a fresh one must be issued before the
   * call.
   */
  public record Attach(NodeId node, LocationConfig wanted, boolean newGeneration) {}

  /** Set one location to a config (Secondary or Detached). */
  public record Change(NodeId node, LocationConfig wanted) {}

  public boolean isEmpty() {
    return attach == null && secondaries.isEmpty() && detaches.isEmpty();
  }
}
