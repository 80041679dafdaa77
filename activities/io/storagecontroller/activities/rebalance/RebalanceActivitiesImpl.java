package io.storagecontroller.activities.rebalance;

import io.storagecontroller.activities.TaskQueues;
import io.storagecontroller.activities.migration.MigrationRequest;
import io.storagecontroller.drain.LiveMigrationWindow;
import io.storagecontroller.drain.PlannedMove;
import io.storagecontroller.drain.Rebalancing;
import io.storagecontroller.migration.ShardMigrations;
import io.storagecontroller.model.NodeId;
import io.storagecontroller.model.TenantShardId;
import io.temporal.activity.Activity;
import io.temporal.activity.ActivityExecutionContext;
import io.temporal.client.ActivityCompletionException;
import io.temporal.spring.boot.ActivityImpl;
import java.time.Duration;
import java.util.List;
import org.springframework.stereotype.Component;

/** A drain's or fill's steps, each one call into the domain. */
@Component
@ActivityImpl(taskQueues = TaskQueues.CONTROLLER)
public class RebalanceActivitiesImpl implements RebalanceActivities {
  /** Neon's shorter warm-up bounds for drain and fill: 30 s in total, 5 s per request. */
  static final Duration WARMUP = Duration.ofSeconds(30);

  static final Duration WARMUP_REQUEST = Duration.ofSeconds(5);

  private final Rebalancing rebalancing;
  private final LiveMigrationWindow migrationWindow;

  public RebalanceActivitiesImpl(Rebalancing rebalancing, LiveMigrationWindow migrationWindow) {
    this.rebalancing = rebalancing;
    this.migrationWindow = migrationWindow;
  }

  @Override
  public List<RebalanceMove> plan(String kind, NodeId node, int limit) {
    return rebalancing.plan(kind, node, limit).stream()
        .map(m -> new RebalanceMove(m.shard(), m.destination()))
        .toList();
  }

  @Override
  public BegunMoves begin(String kind, NodeId node, long operationId, List<RebalanceMove> moves) {
    List<PlannedMove> planned =
        moves.stream().map(m -> new PlannedMove(m.tenantShardId(), m.destination())).toList();
    Rebalancing.Begun begun = rebalancing.begin(kind, node, operationId, planned);
    List<MigrationRequest> requests =
        begun.migrations().stream().map(b -> request(b, operationId)).toList();
    return new BegunMoves(requests, begun.reconciled());
  }

  @Override
  public long migrate(long operationId, List<MigrationRequest> window, boolean cancelled) {
    ActivityExecutionContext context = Activity.getExecutionContext();
    List<LiveMigrationWindow.Move> moves =
        window.stream()
            .map(
                m ->
                    new LiveMigrationWindow.Move(
                        m.tenantShardId(),
                        m.origin(),
                        m.destination(),
                        m.prewarm(),
                        m.warmupTimeout(),
                        m.warmupRequestTimeout(),
                        m.requireWarm()))
            .toList();
    return migrationWindow
        .run(moves, cancelled, () -> cancelRequested(context))
        .getOrDefault(LiveMigrationWindow.Outcome.COMPLETED, 0);
  }

  /**
   * A heartbeat's answer: the workflow cancelled this call (or this attempt is no longer the live
   * one, which must stop as safely).
   */
  private static boolean cancelRequested(ActivityExecutionContext context) {
    try {
      context.heartbeat(null);
      return false;
    } catch (ActivityCompletionException e) {
      return true;
    }
  }

  @Override
  public void advance(long operationId, long done, List<TenantShardId> shards) {
    rebalancing.advance(operationId, done, shards == null ? List.of() : shards);
  }

  @Override
  public void finish(String kind, NodeId node, long operationId, String outcome, String error) {
    rebalancing.finish(kind, node, operationId, outcome, error);
  }

  /**
   * A migration of the drain's or fill's window: no row of its own, held by the drain or fill,
   * which releases it with the rest of its window.
   */
  private static MigrationRequest request(ShardMigrations.Begun begun, long operationId) {
    return new MigrationRequest(
        begun.shard(),
        begun.origin(),
        begun.destination(),
        0,
        true,
        WARMUP,
        WARMUP_REQUEST,
        operationId,
        false,
        true);
  }
}
