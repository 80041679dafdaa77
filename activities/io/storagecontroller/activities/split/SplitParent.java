package io.storagecontroller.activities.split;

import io.storagecontroller.model.Generation;
import io.storagecontroller.model.NodeId;
import io.storagecontroller.model.TenantShardId;
import java.util.List;

/**
 * One parent shard as the split began: the node it is split on, the generation that node holds, the
 * tenant config it holds there (JSON) and the parent's secondary nodes.
 */
public record SplitParent(
    TenantShardId tenantShardId,
    NodeId nodeId,
    Generation generation,
    String tenantConf,
    List<NodeId> secondaryNodes) {
  public SplitParent {
    secondaryNodes = List.copyOf(secondaryNodes);
  }
}
