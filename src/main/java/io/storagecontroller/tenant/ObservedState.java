package io.storagecontroller.tenant;

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
public final class ObservedState {
  private final Map<NodeId, Optional<LocationConfig>> locations = new LinkedHashMap<>();

  public void set(NodeId node, LocationConfig config) {
    locations.put(node, Optional.of(config));
  }

  public void markUnknown(NodeId node) {
    locations.put(node, Optional.empty());
  }

  public void remove(NodeId node) {
    locations.remove(node);
  }

  public void clear() {
    locations.clear();
  }

  /**
   * The confirmed config on this node; empty when nothing is known to be there or it is unknown.
   */
  public Optional<LocationConfig> confirmed(NodeId node) {
    return locations.getOrDefault(node, Optional.empty());
  }

  public boolean isUnknown(NodeId node) {
    return locations.containsKey(node) && locations.get(node).isEmpty();
  }

  public Map<NodeId, Optional<LocationConfig>> locations() {
    return Collections.unmodifiableMap(locations);
  }
}
