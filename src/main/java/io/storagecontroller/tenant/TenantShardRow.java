package io.storagecontroller.tenant;

import io.storagecontroller.model.Generation;
import io.storagecontroller.model.NodeId;
import io.storagecontroller.model.PlacementPolicy;
import io.storagecontroller.model.ShardSchedulingPolicy;
import io.storagecontroller.model.ShardStripeSize;
import io.storagecontroller.model.TenantShardId;
import java.util.List;

/**
 * A {@code tenant_shards} row: the durable part of a tenant shard. {@code config} is the tenant
 * config as JSON text, opaque to the database.
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
    List<NodeId> intendedSecondaries) {

  public TenantShardRow {
    intendedSecondaries = List.copyOf(intendedSecondaries);
  }
}
