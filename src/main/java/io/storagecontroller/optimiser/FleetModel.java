package io.storagecontroller.optimiser;

import io.storagecontroller.model.NodeId;
import io.storagecontroller.model.TenantId;
import io.storagecontroller.model.TenantShardId;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.TreeMap;

/**
 * The fleet's attachments as a plan unfolds: counts per node and per tenant and node, moved as each
 * optimisation is planned so that the next one sees it. Not thread-safe: one planning pass owns it.
 */
final class FleetModel {
  private final Map<NodeId, NodeLoad> nodes = new TreeMap<>();
  private final Map<NodeId, Long> attached = new HashMap<>();
  private final Map<NodeId, List<ShardPlace>> movableOn = new TreeMap<>();
  private final Map<TenantId, Map<NodeId, Integer>> tenantOn = new HashMap<>();
  private final Map<TenantShardId, NodeId> attachedOf = new HashMap<>();
  private final Map<TenantShardId, ShardPlace> shards = new HashMap<>();
  private final Set<String> homeAzs = new HashSet<>();
  private final Set<TenantShardId> planned = new HashSet<>();

  FleetModel(Collection<ShardPlace> shardPlaces, Collection<NodeLoad> nodeLoads) {
    for (NodeLoad node : nodeLoads) {
      nodes.put(node.id(), node);
      attached.put(node.id(), 0L);
      if (node.receives() && node.az() != null) {
        homeAzs.add(node.az());
      }
    }
    for (ShardPlace shard : shardPlaces) {
      shards.put(shard.id(), shard);
      NodeId at = shard.attached();
      if (at == null) {
        continue;
      }
      attachedOf.put(shard.id(), at);
      attached.merge(at, 1L, Long::sum);
      tenantOn
          .computeIfAbsent(shard.id().tenantId(), t -> new HashMap<>())
          .merge(at, 1, Integer::sum);
      if (shard.movable() && maySchedule(at)) {
        movableOn.computeIfAbsent(at, n -> new ArrayList<>()).add(shard);
      }
    }
  }

  Collection<NodeLoad> nodes() {
    return nodes.values();
  }

  Collection<ShardPlace> shards() {
    return shards.values();
  }

  NodeLoad node(NodeId id) {
    return nodes.get(id);
  }

  boolean maySchedule(NodeId id) {
    NodeLoad node = nodes.get(id);
    return node != null && node.maySchedule();
  }

  long attached(NodeId id) {
    return attached.getOrDefault(id, 0L);
  }

  int tenantOn(TenantId tenant, NodeId node) {
    return tenantOn.getOrDefault(tenant, Map.of()).getOrDefault(node, 0);
  }

  NodeId attachedOf(TenantShardId id) {
    return attachedOf.get(id);
  }

  /** The movable shards now attached to the node that no optimisation of this plan has taken. */
  List<ShardPlace> movableOn(NodeId node) {
    return movableOn.getOrDefault(node, List.of()).stream()
        .filter(s -> !planned.contains(s.id()))
        .toList();
  }

  boolean isPlanned(TenantShardId id) {
    return planned.contains(id);
  }

  /**
   * Whether a node in this AZ could take an attachment (so a shard preferring it belongs there).
   */
  boolean homeAzReceives(String az) {
    return az != null && homeAzs.contains(az);
  }

  /** Nodes that may take attachments, in id order. */
  List<NodeLoad> receivers() {
    return nodes.values().stream().filter(NodeLoad::receives).toList();
  }

  boolean outsideHomeAz(ShardPlace shard, NodeId at) {
    NodeLoad node = nodes.get(at);
    return homeAzReceives(shard.preferredAz())
        && (node == null || !Objects.equals(shard.preferredAz(), node.az()));
  }

  /** Marks the shard as taken by this plan without moving it (a secondary removal). */
  void take(TenantShardId id) {
    planned.add(id);
  }

  /** Moves the shard's attachment in the model. */
  void move(ShardPlace shard, NodeId to) {
    NodeId from = attachedOf.get(shard.id());
    planned.add(shard.id());
    attachedOf.put(shard.id(), to);
    attached.merge(from, -1L, Long::sum);
    attached.merge(to, 1L, Long::sum);
    Map<NodeId, Integer> perNode = tenantOn.get(shard.id().tenantId());
    perNode.merge(from, -1, Integer::sum);
    perNode.merge(to, 1, Integer::sum);
  }

  PlacementScore score() {
    long outside = 0;
    long overloaded = 0;
    for (ShardPlace shard : shards.values()) {
      NodeId at = attachedOf.get(shard.id());
      if (at == null) {
        continue;
      }
      if (outsideHomeAz(shard, at)) {
        outside++;
      }
      NodeLoad node = nodes.get(at);
      if (node != null && node.overloaded()) {
        overloaded++;
      }
    }
    long balance = 0;
    for (NodeLoad node : receivers()) {
      long count = attached(node.id());
      balance += count * count;
    }
    long collisions = 0;
    for (Map<NodeId, Integer> perNode : tenantOn.values()) {
      for (int count : perNode.values()) {
        collisions += Math.max(0, count - 1);
      }
    }
    return new PlacementScore(outside, overloaded, balance, collisions);
  }
}
