package io.storagecontroller.debug;

import io.storagecontroller.model.LocationConfigMode;
import io.storagecontroller.model.NodeId;
import io.storagecontroller.node.NodeService;
import io.storagecontroller.shard.ShardStore;
import io.storagecontroller.shard.ShardView;
import java.util.ArrayList;
import java.util.List;
import org.springframework.stereotype.Component;

/** What one node holds or should hold, from memory (Neon's {@code describe_node_shards}). */
@Component
public class NodeShards {
  private final ShardStore store;
  private final NodeService nodes;

  public NodeShards(ShardStore store, NodeService nodes) {
    this.store = store;
    this.nodes = nodes;
  }

  /** 404 for a node that is not registered. Scans every shard: for support use. */
  public NodeShardResponse describe(NodeId node) {
    nodes.get(node);
    List<NodeShardResponse.NodeShard> shards = new ArrayList<>();
    for (ShardView shard : store.all()) {
      Boolean intendedSecondary =
          node.equals(shard.attached())
              ? Boolean.FALSE
              : shard.secondaries().contains(node) ? Boolean.TRUE : null;
      // Only a confirmed location says which kind it is; an unknown one says nothing.
      Boolean observedSecondary =
          shard.confirmed(node).map(c -> c.mode() == LocationConfigMode.SECONDARY).orElse(null);
      if (intendedSecondary != null || observedSecondary != null) {
        shards.add(
            new NodeShardResponse.NodeShard(shard.id(), observedSecondary, intendedSecondary));
      }
    }
    return new NodeShardResponse(node, shards);
  }
}
