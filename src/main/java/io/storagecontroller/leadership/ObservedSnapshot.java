package io.storagecontroller.leadership;

import io.storagecontroller.model.NodeId;
import io.storagecontroller.model.TenantShardId;
import io.storagecontroller.pageserver.LocationConfig;
import io.storagecontroller.pageserver.PageserverJson;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import tools.jackson.core.JacksonException;
import tools.jackson.databind.JsonNode;

/**
 * What the leader that stepped down had observed, by node: Neon's {@code GlobalObservedState}
 * ({@code {"<tenant_shard_id>": {"locations": {"<node_id>": {"conf": ...|null}}}}}), where a null
 * conf is "unknown". The new leader takes it instead of listing those nodes' locations again.
 */
public final class ObservedSnapshot {
  private final Map<NodeId, Map<TenantShardId, Optional<LocationConfig>>> byNode;

  private ObservedSnapshot(Map<NodeId, Map<TenantShardId, Optional<LocationConfig>>> byNode) {
    this.byNode = byNode;
  }

  /** The step-down answer; empty when it cannot be read (the new leader then scans). */
  static Optional<ObservedSnapshot> parse(String json) {
    try {
      JsonNode root = PageserverJson.mapper().readTree(json);
      if (!root.isObject()) {
        return Optional.empty();
      }
      Map<NodeId, Map<TenantShardId, Optional<LocationConfig>>> byNode = new HashMap<>();
      for (Map.Entry<String, JsonNode> shard : root.properties()) {
        TenantShardId id = TenantShardId.parse(shard.getKey());
        for (Map.Entry<String, JsonNode> location :
            shard.getValue().path("locations").properties()) {
          JsonNode conf = location.getValue().path("conf");
          Optional<LocationConfig> config =
              conf.isObject()
                  ? Optional.of(PageserverJson.mapper().treeToValue(conf, LocationConfig.class))
                  : Optional.empty();
          byNode
              .computeIfAbsent(NodeId.valueOf(location.getKey()), n -> new HashMap<>())
              .put(id, config);
        }
      }
      return Optional.of(new ObservedSnapshot(byNode));
    } catch (JacksonException | IllegalArgumentException e) {
      return Optional.empty();
    }
  }

  public static ObservedSnapshot empty() {
    return new ObservedSnapshot(Map.of());
  }

  /** The nodes it has locations of. */
  public Set<NodeId> nodes() {
    return byNode.keySet();
  }

  /** One node's locations by shard, empty values unknown. */
  public Map<TenantShardId, Optional<LocationConfig>> locations(NodeId node) {
    return byNode.getOrDefault(node, Map.of());
  }

  public int size() {
    return byNode.values().stream().mapToInt(Map::size).sum();
  }
}
