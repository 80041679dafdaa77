package io.storagecontroller.activities.split;

import io.storagecontroller.model.TenantId;
import io.storagecontroller.model.TenantShardId;
import java.util.List;

/**
 * A split the workflow carries out: from {@code oldShardCount} to {@code newShardCount} shards, the
 * children taking {@code childStripeSize} pages per stripe, one pageserver split per parent (sent
 * {@code newStripeSize} when it is set: only a single shard may change it). {@code children} are
 * the shards the tenant ends with (the existing ones when it already had the requested count, with
 * no parents).
 */
public record SplitPlan(
    long operationId,
    TenantId tenantId,
    int oldShardCount,
    int newShardCount,
    long childStripeSize,
    Long newStripeSize,
    List<SplitParent> parents,
    List<TenantShardId> children) {
  public SplitPlan {
    parents = List.copyOf(parents);
    children = List.copyOf(children);
  }

  /** Nothing to split: the tenant already has the requested count. */
  public boolean alreadySplit() {
    return parents.isEmpty() && !children.isEmpty();
  }

  /** A plan for a split whose beginning failed partway: there is nothing but the tenant to undo. */
  public static SplitPlan unstarted(SplitRequest request) {
    return new SplitPlan(
        request.operationId(),
        request.tenantId(),
        0,
        request.newShardCount(),
        0,
        request.newStripeSize(),
        List.of(),
        List.of());
  }
}
