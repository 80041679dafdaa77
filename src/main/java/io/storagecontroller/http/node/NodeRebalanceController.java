package io.storagecontroller.http.node;

import io.storagecontroller.drain.Rebalancing;
import io.storagecontroller.http.NullBody;
import io.storagecontroller.http.RequestName;
import io.storagecontroller.model.NodeId;
import io.storagecontroller.orchestration.NodeRebalances;
import org.springframework.http.HttpStatus;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.DeleteMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PutMapping;
import org.springframework.web.bind.annotation.RestController;

/**
 * Neon's drain and fill routes: 202 {@code null} once started or cancel requested; progress is the
 * node's scheduling policy and the operations API.
 */
@RestController
public class NodeRebalanceController {
  private final NodeRebalances rebalances;

  public NodeRebalanceController(NodeRebalances rebalances) {
    this.rebalances = rebalances;
  }

  @PutMapping("/control/v1/node/{node_id}/drain")
  @RequestName("control_v1_node_drain")
  ResponseEntity<String> drain(@PathVariable("node_id") NodeId node) {
    rebalances.start(Rebalancing.DRAIN, node);
    return accepted();
  }

  @DeleteMapping("/control/v1/node/{node_id}/drain")
  @RequestName("control_v1_cancel_node_drain")
  ResponseEntity<String> cancelDrain(@PathVariable("node_id") NodeId node) {
    rebalances.cancel(Rebalancing.DRAIN, node);
    return accepted();
  }

  @PutMapping("/control/v1/node/{node_id}/fill")
  @RequestName("control_v1_node_fill")
  ResponseEntity<String> fill(@PathVariable("node_id") NodeId node) {
    rebalances.start(Rebalancing.FILL, node);
    return accepted();
  }

  @DeleteMapping("/control/v1/node/{node_id}/fill")
  @RequestName("control_v1_cancel_node_fill")
  ResponseEntity<String> cancelFill(@PathVariable("node_id") NodeId node) {
    rebalances.cancel(Rebalancing.FILL, node);
    return accepted();
  }

  private static ResponseEntity<String> accepted() {
    return NullBody.status(HttpStatus.ACCEPTED);
  }
}
