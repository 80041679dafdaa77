package io.storagecontroller.http.node;

import io.storagecontroller.http.NullBody;
import io.storagecontroller.http.RequestName;
import io.storagecontroller.model.NodeId;
import io.storagecontroller.model.Refusal;
import io.storagecontroller.node.Node;
import io.storagecontroller.node.NodeConfigureRequest;
import io.storagecontroller.node.NodeDescribeResponse;
import io.storagecontroller.node.NodeRegisterRequest;
import io.storagecontroller.node.NodeService;
import java.util.List;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.PutMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RestController;

/** The nodes part of {@code /control/v1} (contract section 2.4). */
@RestController
public class NodeController {
  private final NodeService nodes;

  public NodeController(NodeService nodes) {
    this.nodes = nodes;
  }

  @PostMapping("/control/v1/node")
  @RequestName("control_v1_node")
  ResponseEntity<String> register(@RequestBody NodeRegisterRequest request) {
    nodes.register(request);
    return NullBody.ok();
  }

  @GetMapping("/control/v1/node")
  @RequestName("control_v1_node")
  List<NodeDescribeResponse> list() {
    return nodes.list().stream().map(Node::describe).toList();
  }

  @GetMapping("/control/v1/node/{node_id}")
  @RequestName("control_v1_node_status")
  NodeDescribeResponse get(@PathVariable("node_id") NodeId nodeId) {
    return nodes.get(nodeId).describe();
  }

  @PutMapping("/control/v1/node/{node_id}/config")
  @RequestName("control_v1_node_config")
  ResponseEntity<String> configure(
      @PathVariable("node_id") NodeId nodeId, @RequestBody NodeConfigureRequest request) {
    if (request.nodeId() == null) {
      throw Refusal.badRequest("missing field `node_id`");
    }
    if (!request.nodeId().equals(nodeId)) {
      throw Refusal.badRequest("Path and body node_id differ");
    }
    // Neon: a drain, fill or deletion owns the nodes' scheduling policies while it runs.
    nodes
        .inBackgroundOperation(null)
        .ifPresent(
            busy -> {
              throw Refusal.preconditionFailed(
                  "Ongoing background operation forbids configuring: "
                      + switch (busy.scheduling()) {
                        case DRAINING -> "drain";
                        case FILLING -> "fill";
                        default -> "delete";
                      });
            });
    nodes.configure(request);
    return NullBody.ok();
  }
}
