package io.storagecontroller.split;

import io.storagecontroller.model.ShardCount;
import io.storagecontroller.model.ShardNumber;
import io.storagecontroller.model.TenantShardId;
import java.util.ArrayList;
import java.util.List;

/**
 * Which shards a parent splits into: for old count N (a legacy unsharded 0 counts as 1) and new
 * count M, the shard numbers s in [0, M) with s mod N equal to the parent's number (Neon's rule,
 * which the pageserver applies too).
 */
public final class SplitChildren {
  private SplitChildren() {}

  public static List<TenantShardId> of(TenantShardId parent, ShardCount newCount) {
    int oldCount = parent.shardCount().count();
    List<TenantShardId> children = new ArrayList<>();
    for (int s = parent.shardNumber().value(); s < newCount.count(); s += oldCount) {
      children.add(new TenantShardId(parent.tenantId(), ShardNumber.of(s), newCount));
    }
    return children;
  }

  /** The children of every parent, in shard order. */
  public static List<TenantShardId> ofAll(List<TenantShardId> parents, ShardCount newCount) {
    return parents.stream().flatMap(p -> of(p, newCount).stream()).sorted().toList();
  }
}
