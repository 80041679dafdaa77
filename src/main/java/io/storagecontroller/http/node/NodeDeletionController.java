package io.storagecontroller.http.node;

import io.storagecontroller.http.NullBody;
import io.storagecontroller.http.QueryFlags;
import io.storagecontroller.http.RequestName;
import io.storagecontroller.model.NodeId;
import io.storagecontroller.orchestration.NodeDeletions;
import org.springframework.http.HttpStatus;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.DeleteMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PutMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;

/**
 * Neon's node deletion routes: the graceful deletion (200 {@code null} once started; progress is
 * the node's {@code Deleting} policy and a {@code delete} operation), its cancel (202), and the
 * deprecated synchronous delete (200 {@code null} once the node is gone).
 */
@RestController
public class NodeDeletionController {
  private final NodeDeletions deletions;

  public NodeDeletionController(NodeDeletions deletions) {
    this.deletions = deletions;
  }

  @PutMapping("/control/v1/node/{node_id}/delete")
  @RequestName("control_v1_start_node_delete")
  ResponseEntity<String> start(
      @PathVariable("node_id") NodeId node,
      @RequestParam(name = "force", required = false) String force) {
    deletions.start(node, QueryFlags.parse("force", force, false));
    return NullBody.ok();
  }

  @DeleteMapping("/control/v1/node/{node_id}/delete")
  @RequestName("control_v1_cancel_node_delete")
  ResponseEntity<String> cancel(@PathVariable("node_id") NodeId node) {
    deletions.cancel(node);
    return NullBody.status(HttpStatus.ACCEPTED);
  }

  @DeleteMapping("/control/v1/node/{node_id}")
  @RequestName("control_v1_node_delete")
  ResponseEntity<String> deleteNow(@PathVariable("node_id") NodeId node) {
    deletions.deleteNow(node);
    return NullBody.ok();
  }
}
