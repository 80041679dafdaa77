package io.storagecontroller.activities.rebalance;

import io.storagecontroller.activities.TaskQueues;
import io.storagecontroller.activities.migration.MigrationRequest;
import io.storagecontroller.drain.PlannedMove;
import io.storagecontroller.drain.Rebalancing;
import io.storagecontroller.migration.ShardMigrations;
import io.storagecontroller.model.NodeId;
import io.storagecontroller.model.TenantShardId;
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

  public RebalanceActivitiesImpl(Rebalancing rebalancing) {
    this.rebalancing = rebalancing;
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
  public void advance(long operationId, long done, List<TenantShardId> shards) {
    rebalancing.advance(operationId, done, shards == null ? List.of() : shards);
  }

  @Override
  public void finish(String kind, NodeId node, long operationId, String outcome, String error) {
    rebalancing.finish(kind, node, operationId, outcome, error);
  }

  /**
   * A child migration of the drain or fill: no row of its own, held by the drain or fill, which
   * releases it with the rest of its window.
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
