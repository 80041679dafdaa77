package io.storagecontroller.scheduler;

import io.storagecontroller.model.NodeId;
import java.util.Collection;
import java.util.HashMap;
import java.util.Map;

/**
 * The locations one tenant already uses, counted per node, so that its shards spread out: a soft
 * preference that never makes scheduling fail. Build one per tenant operation and pass it to every
 * shard of the tenant in turn (Neon's ScheduleContext; leaving it out caused #9908 and #9958).
 *
 * <p>Not thread-safe: it lives for one operation on one tenant.
 */
public final class ScheduleContext {
  // Sparse: a node not in the map has affinity 0.
  private final Map<NodeId, Integer> affinity = new HashMap<>();

  /** Counts one more location of this tenant on the node, making it less attractive. */
  public void avoid(NodeId node) {
    affinity.merge(node, 1, Integer::sum);
  }

  public void avoid(Collection<NodeId> nodes) {
    nodes.forEach(this::avoid);
  }

  /** How many of this tenant's locations are already on the node. */
  public int affinity(NodeId node) {
    return affinity.getOrDefault(node, 0);
  }

  @Override
  public String toString() {
    return "ScheduleContext" + affinity;
  }
}
