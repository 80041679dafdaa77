package io.storagecontroller.debug;

import io.storagecontroller.model.Generation;
import io.storagecontroller.model.NodeId;
import java.util.List;

/**
 * {@code {"attachment": [generation, node_id] | null}}: the generation the controller holds for the
 * shard and the node it is attached to, or null when it is attached nowhere.
 */
public record InspectResponse(List<Long> attachment) {
  public static InspectResponse none() {
    return new InspectResponse(null);
  }

  public static InspectResponse of(Generation generation, NodeId node) {
    return new InspectResponse(List.of(generation.value(), node.value()));
  }
}
