package io.storagecontroller.shard;

import io.storagecontroller.model.NodeId;
import io.storagecontroller.model.TenantShardId;
import java.util.List;
import java.util.Map;

/**
 * What taking a previous leader's observed state into memory found on each node it covers, as a
 * start-up scan of that node would have: the locations of shards known here, and the strays (shards
 * it holds that are not known here).
 */
public record SnapshotApplied(Map<NodeId, Integer> known, Map<NodeId, List<TenantShardId>> strays) {
  public int known(NodeId node) {
    return known.getOrDefault(node, 0);
  }

  public List<TenantShardId> strays(NodeId node) {
    return strays.getOrDefault(node, List.of());
  }
}
