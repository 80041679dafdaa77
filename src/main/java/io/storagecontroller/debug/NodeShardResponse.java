package io.storagecontroller.debug;

import io.storagecontroller.model.NodeId;
import io.storagecontroller.model.TenantShardId;
import java.util.List;

/**
 * {@code GET /control/v1/node/:node_id/shards} (contract section 3.3): every shard the node holds
 * or should hold. Each flag is null when the shard is not on the node in that sense; an attached
 * shard has {@code is_intended_secondary: false}.
 */
public record NodeShardResponse(NodeId nodeId, List<NodeShard> shards) {
  public record NodeShard(
      TenantShardId tenantShardId, Boolean isObservedSecondary, Boolean isIntendedSecondary) {}
}
