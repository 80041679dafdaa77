package io.storagecontroller.split;

import io.storagecontroller.model.Generation;
import io.storagecontroller.model.NodeId;
import io.storagecontroller.model.TenantShardId;
import java.util.List;
import tools.jackson.databind.node.ObjectNode;

/**
 * A shard being split, as it was when the split began: the node it is split on, the generation that
 * node holds (its children start with it) and the tenant config that node holds (the children
 * inherit it there), and its secondaries (removed once the children are committed).
 */
public record ParentShard(
    TenantShardId id,
    NodeId node,
    Generation generation,
    List<NodeId> secondaries,
    ObjectNode tenantConf) {
  public ParentShard {
    secondaries = List.copyOf(secondaries);
  }
}
