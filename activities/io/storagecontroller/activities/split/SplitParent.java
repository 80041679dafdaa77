package io.storagecontroller.activities.split;

import java.util.List;

/**
 * One parent shard as the split began: the node it is split on, the generation that node holds, the
 * tenant config it holds there (JSON) and the parent's secondary nodes.
 */
public record SplitParent(
    String tenantShardId,
    long nodeId,
    Long generation,
    String tenantConf,
    List<Long> secondaryNodes) {
  public SplitParent {
    secondaryNodes = List.copyOf(secondaryNodes);
  }
}
