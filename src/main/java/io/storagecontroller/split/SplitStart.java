package io.storagecontroller.split;

import io.storagecontroller.model.ShardCount;
import io.storagecontroller.model.ShardStripeSize;
import io.storagecontroller.model.TenantShardId;
import java.util.List;

/**
 * A split that began (its parents marked splitting), or, when {@code alreadySplit} is not empty, a
 * tenant that already has the requested count.
 */
public record SplitStart(
    List<TenantShardId> alreadySplit,
    ShardCount oldCount,
    ShardStripeSize childStripe,
    List<ParentShard> parents) {
  public SplitStart {
    alreadySplit = List.copyOf(alreadySplit);
    parents = List.copyOf(parents);
  }

  public boolean isAlreadySplit() {
    return !alreadySplit.isEmpty();
  }
}
