package io.storagecontroller.activities.migration;

import io.temporal.activity.ActivityInterface;
import io.temporal.activity.ActivityMethod;
import java.util.Map;

/**
 * The steps of a live migration, one pageserver exchange each, so the workflow can stop between any
 * two of them. Shards are Neon's text ids, nodes their numeric ids.
 */
@ActivityInterface(namePrefix = "Migration")
public interface MigrationActivities {
  /** Makes sure the destination holds a secondary location to warm (no-op if it holds one). */
  @ActivityMethod
  void prepareDestination(String tenantShardId, long destination);

  /**
   * One long-poll of the destination's secondary download; a pageserver that fails counts as done
   * (the migration proceeds with a cold cache, as Neon does).
   */
  @ActivityMethod
  boolean warmUp(String tenantShardId, long destination, long waitMillis);

  /**
   * Origin to AttachedStale (flushing for up to 10 s); returns its timelines' last record LSNs, the
   * baseline the destination must reach (empty if the origin could not list them).
   */
  @ActivityMethod
  Map<String, String> stepDownOrigin(String tenantShardId, long origin);

  /** A new generation for the destination (committed first), then AttachedMulti there. */
  @ActivityMethod
  void attachDestination(String tenantShardId, long destination);

  /** Whether the destination has every baseline timeline at or past its baseline LSN. */
  @ActivityMethod
  boolean caughtUp(String tenantShardId, long destination, Map<String, String> baseline);

  /**
   * Tells computes where the shard is now; true once delivered, or once waiting is pointless
   * because the origin is gone or no longer attached (Neon #9147; the notification then stays
   * pending for the sweep).
   */
  @ActivityMethod
  boolean notifyCompute(String tenantShardId, long origin);

  /**
   * Origin to a warm secondary (the mop-up reconcile detaches it if the intent has no use for it).
   */
  @ActivityMethod
  void demoteOrigin(String tenantShardId, long origin);

  /** Destination to AttachedSingle with its generation. */
  @ActivityMethod
  void finalizeDestination(String tenantShardId, long destination);

  /** Whether the destination holds the shard's newest generation: the point of no return. */
  @ActivityMethod
  boolean destinationHoldsGeneration(String tenantShardId, long destination);

  /**
   * Gives the attachment back to the origin with its own generation (before the point of no
   * return).
   */
  @ActivityMethod
  void revert(String tenantShardId, long origin, long destination);

  /** The shard is the reconciler's again; records the outcome on the operation row, if any. */
  @ActivityMethod
  void finish(String tenantShardId, long operationId, String state, String error);

  @ActivityMethod
  void phase(long operationId, String phase);
}
