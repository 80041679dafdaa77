package io.storagecontroller.http.debug;

import io.storagecontroller.debug.NodeShardResponse;
import io.storagecontroller.debug.NodeShards;
import io.storagecontroller.http.RequestName;
import io.storagecontroller.model.NodeId;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.RestController;

/** {@code GET /control/v1/node/:node_id/shards} (contract section 2.4). */
@RestController
public class NodeShardsController {
  private final NodeShards nodeShards;

  public NodeShardsController(NodeShards nodeShards) {
    this.nodeShards = nodeShards;
  }

  @GetMapping("/control/v1/node/{node_id}/shards")
  @RequestName("control_v1_node_describe")
  NodeShardResponse shards(@PathVariable("node_id") NodeId node) {
    return nodeShards.describe(node);
  }
}
