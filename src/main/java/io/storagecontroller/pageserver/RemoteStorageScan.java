package io.storagecontroller.pageserver;

import io.storagecontroller.model.TenantShardId;
import java.util.List;

/**
 * The pageserver's {@code GET /v1/tenant/:tenant_id/scan_remote_storage}: the tenant's shards found
 * in remote storage, each with the latest generation that wrote it and the stripe size its manifest
 * records (absent in manifests older than that field). The debug import rebuilds a tenant from it.
 */
public record RemoteStorageScan(List<Shard> shards) {

  /** One shard found in remote storage. */
  public record Shard(TenantShardId tenantShardId, long generation, Long stripeSize) {}

  public RemoteStorageScan {
    shards = shards == null ? List.of() : List.copyOf(shards);
  }
}
