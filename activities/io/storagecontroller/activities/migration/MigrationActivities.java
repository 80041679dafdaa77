package io.storagecontroller.activities.migration;

import io.storagecontroller.model.Lsn;
import io.storagecontroller.model.NodeId;
import io.storagecontroller.model.TenantShardId;
import io.storagecontroller.model.TimelineId;
import io.temporal.activity.ActivityInterface;
import io.temporal.activity.ActivityMethod;
import java.util.Map;

/**
 * The steps of a live migration, one pageserver exchange each, so the workflow can stop between any
 * two of them.
 */
@ActivityInterface(namePrefix = "Migration")
public interface MigrationActivities {
  /** Makes sure the destination holds a secondary location to warm (no-op if it holds one). */
  @ActivityMethod
  void prepareDestination(TenantShardId tenantShardId, NodeId destination);

  /**
   * One long-poll of the destination's secondary download; a pageserver that fails counts as done
   * (the migration proceeds with a cold cache, as Neon does).
   */
  @ActivityMethod
  boolean warmUp(TenantShardId tenantShardId, NodeId destination, long waitMillis);

  /**
   * Origin to AttachedStale (flushing for up to 10 s); returns its timelines' last record LSNs, the
   * baseline the destination must reach (empty if the origin could not list them).
   */
  @ActivityMethod
  Map<TimelineId, Lsn> stepDownOrigin(TenantShardId tenantShardId, NodeId origin);

  /** A new generation for the destination (committed first), then AttachedMulti there. */
  @ActivityMethod
  void attachDestination(TenantShardId tenantShardId, NodeId destination);

  /** Whether the destination has every baseline timeline at or past its baseline LSN. */
  @ActivityMethod
  boolean caughtUp(TenantShardId tenantShardId, NodeId destination, Map<TimelineId, Lsn> baseline);

  /**
   * Tells computes where the shard is now; true once delivered, or once waiting is pointless
   * because the origin is gone or no longer attached (Neon #9147; the notification then stays
   * pending for the sweep).
   */
  @ActivityMethod
  boolean notifyCompute(TenantShardId tenantShardId, NodeId origin);

  /**
   * Origin to a warm secondary (the mop-up reconcile detaches it if the intent has no use for it).
   */
  @ActivityMethod
  void demoteOrigin(TenantShardId tenantShardId, NodeId origin);

  /** Destination to AttachedSingle with its generation. */
  @ActivityMethod
  void finalizeDestination(TenantShardId tenantShardId, NodeId destination);

  /** Whether the destination holds the shard's newest generation: the point of no return. */
  @ActivityMethod
  boolean destinationHoldsGeneration(TenantShardId tenantShardId, NodeId destination);

  /**
   * Gives the attachment back to the origin with its own generation (before the point of no
   * return).
   */
  @ActivityMethod
  void revert(TenantShardId tenantShardId, NodeId origin, NodeId destination);

  /**
   * The shard is the reconciler's again ({@code holder} releases it); records the outcome on the
   * operation row, if any.
   */
  @ActivityMethod
  void finish(
      TenantShardId tenantShardId, long operationId, long holder, String state, String error);

  @ActivityMethod
  void phase(long operationId, String phase);
}
