package io.storagecontroller.debug;

import io.storagecontroller.model.NodeId;
import io.storagecontroller.model.TenantShardId;
import java.util.List;

/**
 * {@code GET /debug/v1/tenant/:tenant_id/locate}: where each shard of a tenant is attached, with
 * the addresses a compute connects to (Neon's {@code TenantLocateResponse}; neon_local calls it at
 * every endpoint start).
 */
public record TenantLocateResponse(List<Shard> shards, ShardParams shardParams) {
  /** One shard's attached pageserver and its addresses. */
  public record Shard(
      TenantShardId shardId,
      NodeId nodeId,
      String listenPgAddr,
      int listenPgPort,
      String listenGrpcAddr,
      Integer listenGrpcPort,
      String listenHttpAddr,
      int listenHttpPort,
      Integer listenHttpsPort) {}

  /** The tenant's shard count and stripe size. */
  public record ShardParams(int count, long stripeSize) {}
}
