package io.storagecontroller.activities.migration;

import io.storagecontroller.model.NodeId;
import io.storagecontroller.model.TenantShardId;
import java.time.Duration;

/**
 * A migration of {@code tenantShardId} from {@code origin} to {@code destination}; {@code
 * operationId} is its operations row (0 when it runs as part of a drain or fill, which has its
 * own), {@code holder} the operation holding the shard meanwhile (the drain or fill, or the
 * migration itself; 0 in runs begun before holders were recorded, meaning {@code operationId}).
 * Warm-up bounds follow Neon: 300 s / 20 s for an operator's migration, 30 s / 5 s for drain and
 * fill. With {@code requireWarm} (the optimiser's), a destination still cold at the end of its
 * warm-up is given up and the attachment stays at the origin; otherwise it takes over cold. With
 * {@code holderReleases} (a drain's or fill's, since their windows end together) the migration
 * leaves its shard held when it ends: its holder releases its window's shards in one transaction
 * and reconciles those left with work, so the migration has no finish step of its own.
 */
public record MigrationRequest(
    TenantShardId tenantShardId,
    NodeId origin,
    NodeId destination,
    long operationId,
    boolean prewarm,
    Duration warmupTimeout,
    Duration warmupRequestTimeout,
    long holder,
    boolean requireWarm,
    boolean holderReleases) {

  /**
   * A migration that takes over even when the destination did not warm up in time, and releases its
   * shard itself when it ends.
   */
  public MigrationRequest(
      TenantShardId tenantShardId,
      NodeId origin,
      NodeId destination,
      long operationId,
      boolean prewarm,
      Duration warmupTimeout,
      Duration warmupRequestTimeout,
      long holder) {
    this(
        tenantShardId,
        origin,
        destination,
        operationId,
        prewarm,
        warmupTimeout,
        warmupRequestTimeout,
        holder,
        false,
        false);
  }

  /** The operation holding the shard while it migrates. */
  public long holderOperation() {
    return holder != 0 ? holder : operationId;
  }
}
