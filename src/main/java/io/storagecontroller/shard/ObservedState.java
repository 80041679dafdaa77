package io.storagecontroller.shard;

import io.storagecontroller.model.NodeId;
import io.storagecontroller.pageserver.LocationConfig;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;

/**
 * What the pageservers last confirmed for one shard. No entry for a node means "certainly nothing
 * there"; an entry with an unknown config means "maybe something, we do not know" (a call failed
 * midway, or the node went offline), which forces the next reconcile to set it again rather than
 * trust it.
 */
final class ObservedState {
  private final Map<NodeId, Optional<LocationConfig>> locations = new LinkedHashMap<>();

  void set(NodeId node, LocationConfig config) {
    locations.put(node, Optional.of(config));
  }

  void markUnknown(NodeId node) {
    locations.put(node, Optional.empty());
  }

  void remove(NodeId node) {
    locations.remove(node);
  }

  void clear() {
    locations.clear();
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
