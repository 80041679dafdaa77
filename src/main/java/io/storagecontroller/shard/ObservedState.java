package io.storagecontroller.shard;

import io.storagecontroller.model.NodeId;
import io.storagecontroller.pageserver.LocationConfig;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicLong;

/**
 * What the pageservers last confirmed for one shard. No entry for a node means "certainly nothing
 * there"; an entry with an unknown config means "maybe something, we do not know" (a call failed
 * midway, or the node went offline), which forces the next reconcile to set it again rather than
 * trust it.
 */
final class ObservedState {
  /** Orders every change of every shard's observed state, so a scan can tell what changed since. */
  private static final AtomicLong CLOCK = new AtomicLong();

  private final Map<NodeId, Optional<LocationConfig>> locations = new LinkedHashMap<>();

  /**
   * A shard's creation counts as a change: a shard made after a mark (a tenant deleted and created
   * again under the same id) must not pass for unchanged since, with what its former self held.
   */
  private long changedAt = CLOCK.incrementAndGet();

  /** The clock now: changes made after this read have a larger {@link #changedAt()}. */
  static long now() {
    return CLOCK.get();
  }

  void set(NodeId node, LocationConfig config) {
    locations.put(node, Optional.of(config));
    changed();
  }

  void markUnknown(NodeId node) {
    locations.put(node, Optional.empty());
    changed();
  }

  void remove(NodeId node) {
    locations.remove(node);
    changed();
  }

  void clear() {
    locations.clear();
    changed();
  }

  long changedAt() {
    return changedAt;
  }

  private void changed() {
    changedAt = CLOCK.incrementAndGet();
  }

  /**
   * The confirmed config on this node; empty when nothing is known to be there or it is unknown.
   */
  Optional<LocationConfig> confirmed(NodeId node) {
    return locations.getOrDefault(node, Optional.empty());
  }

  boolean isUnknown(NodeId node) {
    return locations.containsKey(node) && locations.get(node).isEmpty();
  }

  Map<NodeId, Optional<LocationConfig>> locations() {
    return Collections.unmodifiableMap(locations);
  }
}
