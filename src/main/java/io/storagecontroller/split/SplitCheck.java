package io.storagecontroller.split;

import io.storagecontroller.model.ShardCount;
import io.storagecontroller.model.ShardStripeSize;
import io.storagecontroller.model.TenantShardId;
import java.util.List;

/**
 * What {@link SplitPreconditions} decided: the tenant already has the requested count (a repeated
 * request, answered with its shards), or it may split from {@code oldCount}, its children taking
 * {@code childStripe}.
 */
public record SplitCheck(
    List<TenantShardId> alreadySplit, ShardCount oldCount, ShardStripeSize childStripe) {
  public SplitCheck {
    alreadySplit = List.copyOf(alreadySplit);
  }

  static SplitCheck done(List<TenantShardId> shards) {
    return new SplitCheck(shards, null, null);
  }

  static SplitCheck proceed(ShardCount oldCount, ShardStripeSize childStripe) {
    return new SplitCheck(List.of(), oldCount, childStripe);
  }

  public boolean isAlreadySplit() {
    return !alreadySplit.isEmpty();
  }
}
