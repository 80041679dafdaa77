package io.storagecontroller.http.node;

import io.storagecontroller.drain.Rebalancing;
import io.storagecontroller.evacuation.NodeDeletion;
import io.storagecontroller.http.NullBody;
import io.storagecontroller.http.RequestName;
import io.storagecontroller.model.NodeId;
import io.storagecontroller.model.Refusal;
import io.storagecontroller.node.Node;
import io.storagecontroller.node.NodeConfigureRequest;
import io.storagecontroller.node.NodeDescribeResponse;
import io.storagecontroller.node.NodeRegisterRequest;
import io.storagecontroller.node.NodeService;
import io.storagecontroller.operation.OperationLog;
import java.util.List;
import java.util.Set;
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
  private static final Set<String> NODE_OPERATIONS =
      Set.of(Rebalancing.DRAIN, Rebalancing.FILL, NodeDeletion.KIND);

  private final NodeService nodes;
  private final OperationLog operations;

  public NodeController(NodeService nodes, OperationLog operations) {
    this.nodes = nodes;
    this.operations = operations;
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
    // Neon: a drain, fill or deletion owns the nodes' scheduling policies while it runs (the
    // running operation, not a policy an operator set, e.g. storcon bulk-migrate's Draining).
    operations.running().stream()
        .filter(op -> NODE_OPERATIONS.contains(op.kind()))
        .findFirst()
        .ifPresent(
            busy -> {
              throw Refusal.preconditionFailed(
                  "Ongoing background operation forbids configuring: " + busy.kind());
            });
    nodes.configure(request);
    return NullBody.ok();
  }
}
