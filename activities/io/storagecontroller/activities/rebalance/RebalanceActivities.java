package io.storagecontroller.activities.rebalance;

import io.storagecontroller.activities.migration.MigrationRequest;
import io.storagecontroller.model.NodeId;
import io.storagecontroller.model.TenantShardId;
import io.temporal.activity.ActivityInterface;
import io.temporal.activity.ActivityMethod;
import java.util.List;

/**
 * The side effects of draining or filling a node ({@code kind} "drain" or "fill"). Every call
 * checks that the node is still Draining or Filling: a node that re-attached (restarted) or was
 * reconfigured ends the operation.
 */
@ActivityInterface(namePrefix = "Rebalance")
public interface RebalanceActivities {
  /** Up to {@code limit} shards to move, planned in one pass over the shards. */
  @ActivityMethod
  List<RebalanceMove> plan(String kind, NodeId nodeId, int limit);

  /**
   * Moves the intents of these shards (each re-checked: a shard that moved or started migrating
   * since the plan is skipped); returns the live migrations to run.
   */
  @ActivityMethod
  BegunMoves begin(String kind, NodeId nodeId, long operationId, List<RebalanceMove> moves);

  /**
   * Live-migrates a window's shards side by side and returns how many moved. With {@code
   * cancelled}, or once the workflow cancels the call (heard through its heartbeat), the moves not
   * yet past their point of no return are reverted and the others go forward without waiting. Safe
   * to call again over the same window: what an earlier call finished is left as it is.
   */
  @ActivityMethod
  long migrate(long operationId, List<MigrationRequest> window, boolean cancelled);

  /**
   * A window of migrations ended: {@code done} more shards moved, and the window's shards ({@code
   * shards}, null in runs begun before the window released them) are released in one transaction.
   */
  @ActivityMethod
  void advance(long operationId, long done, List<TenantShardId> shards);

  /** Leaves the node in its next scheduling policy and closes the operation row. */
  @ActivityMethod
  void finish(String kind, NodeId nodeId, long operationId, String state, String error);
}
