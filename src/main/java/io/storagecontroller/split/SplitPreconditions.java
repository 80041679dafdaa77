package io.storagecontroller.split;

import io.storagecontroller.model.LocationConfigMode;
import io.storagecontroller.model.NodeId;
import io.storagecontroller.model.PlacementPolicy;
import io.storagecontroller.model.Refusal;
import io.storagecontroller.model.ShardCount;
import io.storagecontroller.model.ShardStripeSize;
import io.storagecontroller.model.TenantId;
import io.storagecontroller.pageserver.LocationConfig;
import io.storagecontroller.shard.ShardView;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;

/** Neon's split validation (contract: neon-behaviour §5.2), without I/O, over shard views. */
public final class SplitPreconditions {
  private SplitPreconditions() {}

  /**
   * @param newStripe the requested stripe size, or null to keep the tenant's
   * @throws Refusal 404 for an unknown tenant, 409 mid-split or mid-migration, 400 for a count that
   *     does not grow by a whole factor, a stripe change of a sharded tenant or a tenant that is
   *     not attached, 503 while a parent's pageserver cannot take the split now
   */
  public static SplitCheck check(
      TenantId tenant,
      List<ShardView> shards,
      ShardCount newCount,
      ShardStripeSize newStripe,
      Set<NodeId> available) {
    if (shards.isEmpty()) {
      throw Refusal.notFound("Tenant " + tenant + " not found");
    }
    ShardCount current = shards.get(0).id().shardCount();
    for (ShardView shard : shards) {
      if (shard.splitting() || !shard.id().shardCount().equals(current)) {
        throw Refusal.conflict("Cannot split, currently mid-split");
      }
    }
    if (newCount.equals(current)) {
      return SplitCheck.done(shards.stream().map(ShardView::id).toList());
    }
    if (newCount.count() <= current.count()) {
      throw Refusal.badRequest(
          "Requested shard count "
              + newCount.literal()
              + " is not an increase over the current count "
              + current.literal());
    }
    if (newCount.count() % current.count() != 0) {
      throw Refusal.badRequest(
          "Requested shard count "
              + newCount.literal()
              + " is not a multiple of the current count "
              + current.count());
    }
    ShardStripeSize stripe = shards.get(0).stripeSize();
    if (newStripe != null && !newStripe.equals(stripe)) {
      if (current.count() > 1) {
        throw Refusal.badRequest(
            "Cannot change the stripe size of tenant "
                + tenant
                + ": it already has several shards");
      }
      if (newStripe.value() == 0) {
        throw Refusal.badRequest("new_stripe_size must be positive");
      }
      stripe = newStripe;
    }
    for (ShardView shard : shards) {
      if (shard.held()) {
        throw Refusal.conflict(
            "Cannot split tenant " + tenant + " while shard " + shard.id() + " is migrating");
      }
      NodeId node = shard.attached();
      if (!(shard.policy() instanceof PlacementPolicy.Attached) || node == null) {
        throw Refusal.badRequest("Cannot split a tenant that is not attached");
      }
      if (!available.contains(node)) {
        throw Refusal.unavailable(
            "Cannot split tenant "
                + tenant
                + " now: node "
                + node
                + " of "
                + shard.id()
                + " is unavailable");
      }
      if (attachedConfig(shard).isEmpty()) {
        throw Refusal.unavailable(
            "Cannot split tenant "
                + tenant
                + " now: "
                + shard.id()
                + " is still being attached to node "
                + node
                + "; retry");
      }
    }
    return SplitCheck.proceed(current, stripe);
  }

  /**
   * What the shard's attached pageserver confirmed holding with the current generation; the split
   * predicts its children from it.
   */
  public static Optional<LocationConfig> attachedConfig(ShardView shard) {
    NodeId node = shard.attached();
    if (node == null || shard.generation() == null) {
      return Optional.empty();
    }
    return shard
        .confirmed(node)
        .filter(c -> c.mode() == LocationConfigMode.ATTACHED_SINGLE)
        .filter(c -> Objects.equals(c.generation(), shard.generation().value()));
  }
}
