package io.storagecontroller.debug;

import io.storagecontroller.model.LocationConfigMode;
import io.storagecontroller.model.NodeId;
import io.storagecontroller.node.NodeService;
import io.storagecontroller.tenant.ServiceState;
import io.storagecontroller.tenant.TenantShard;
import java.util.ArrayList;
import java.util.List;
import org.springframework.stereotype.Component;

/** What one node holds or should hold, from memory (Neon's {@code describe_node_shards}). */
@Component
public class NodeShards {
  private final ServiceState state;
  private final NodeService nodes;

  public NodeShards(ServiceState state, NodeService nodes) {
    this.state = state;
    this.nodes = nodes;
  }

  /** 404 for a node that is not registered. Scans every shard: for support use. */
  public NodeShardResponse describe(NodeId node) {
    nodes.get(node);
    return state.read(
        () -> {
          List<NodeShardResponse.NodeShard> shards = new ArrayList<>();
          for (TenantShard shard : state.all()) {
            Boolean intendedSecondary =
                node.equals(shard.intent().attached())
                    ? Boolean.FALSE
                    : shard.intent().secondaries().contains(node) ? Boolean.TRUE : null;
            // Only a confirmed location says which kind it is; an unknown one says nothing.
            Boolean observedSecondary =
                shard
                    .observed()
                    .confirmed(node)
                    .map(c -> c.mode() == LocationConfigMode.SECONDARY)
                    .orElse(null);
            if (intendedSecondary != null || observedSecondary != null) {
              shards.add(
                  new NodeShardResponse.NodeShard(
                      shard.id(), observedSecondary, intendedSecondary));
            }
          }
          return new NodeShardResponse(node, shards);
        });
  }
}
