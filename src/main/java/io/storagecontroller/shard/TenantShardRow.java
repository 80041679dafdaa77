package io.storagecontroller.shard;

import io.storagecontroller.model.Generation;
import io.storagecontroller.model.NodeId;
import io.storagecontroller.model.PlacementPolicy;
import io.storagecontroller.model.ShardSchedulingPolicy;
import io.storagecontroller.model.ShardStripeSize;
import io.storagecontroller.model.TenantShardId;
import java.util.List;

/**
 * A {@code tenant_shards} row: the durable part of a tenant shard. {@code config} is the tenant
 * config as JSON text, opaque to the database; {@code heldBy} is the operation that owns the shard
 * (null: the reconciler does).
 */
public record TenantShardRow(
    TenantShardId id,
    ShardStripeSize stripeSize,
    Generation generation,
    NodeId generationPageserver,
    PlacementPolicy placementPolicy,
    boolean splitting,
    String config,
    ShardSchedulingPolicy schedulingPolicy,
    String preferredAz,
    NodeId intendedAttached,
    List<NodeId> intendedSecondaries,
    Long heldBy) {
  /**
   * The largest generation and stripe size the table holds: INTEGER columns, as in Neon's schema,
   * though the API's types are u32. Requests past it are refused with a 400 before any write.
   */
  public static final long MAX_STORED = Integer.MAX_VALUE;

  public TenantShardRow {
    intendedSecondaries = List.copyOf(intendedSecondaries);
  }

  /** This row, its generation raised above {@code floor} (an earlier tenant's of the same id). */
  TenantShardRow above(long floor) {
    if (generation == null || generation.value() > floor) {
      return this;
    }
    return new TenantShardRow(
        id,
        stripeSize,
        Generation.of(floor + 1),
        generationPageserver,
        placementPolicy,
        splitting,
        config,
        schedulingPolicy,
        preferredAz,
        intendedAttached,
        intendedSecondaries,
        heldBy);
  }
}
