package io.storagecontroller.activities.optimiser;

import io.storagecontroller.activities.TaskQueues;
import io.storagecontroller.activities.migration.MigrationRequest;
import io.storagecontroller.optimiser.Optimisation.MigrateAttachment;
import io.storagecontroller.optimiser.Optimisation.Reason;
import io.storagecontroller.optimiser.Optimiser;
import io.storagecontroller.optimiser.OptimiserPlan;
import io.temporal.activity.Activity;
import io.temporal.spring.boot.ActivityImpl;
import java.time.Duration;
import java.util.List;
import org.springframework.stereotype.Component;

/** The optimiser's steps, each one call into the domain. */
@Component
@ActivityImpl(taskQueues = TaskQueues.CONTROLLER)
public class OptimiserActivitiesImpl implements OptimiserActivities {
  /**
   * Neon's bounds for a prewarmed migration: 300 s to warm up, 20 s per download request. A
   * destination still cold then is given up (the attachment stays where it was).
   */
  static final Duration WARMUP = Duration.ofSeconds(300);

  static final Duration WARMUP_REQUEST = Duration.ofSeconds(20);

  private final Optimiser optimiser;

  public OptimiserActivitiesImpl(Optimiser optimiser) {
    this.optimiser = optimiser;
  }

  @Override
  public OptimiserPassPlan plan(int limit) {
    OptimiserPlan plan = optimiser.plan(limit);
    int removed = plan.removals().isEmpty() ? 0 : optimiser.removeSecondaries(plan.removals());
    List<OptimiserMove> moves =
        plan.migrations().stream()
            .map(m -> new OptimiserMove(m.shard(), m.from(), m.to(), m.reason().name()))
            .toList();
    return new OptimiserPassPlan(moves, removed, plan.idleBecause());
  }

  @Override
  public long open(int planned) {
    return optimiser.openPass(Activity.getExecutionContext().getInfo().getWorkflowId(), planned);
  }

  @Override
  public List<MigrationRequest> begin(long operationId, List<OptimiserMove> moves) {
    List<MigrateAttachment> planned =
        moves.stream()
            .map(
                m ->
                    new MigrateAttachment(
                        m.tenantShardId(), m.from(), m.to(), Reason.valueOf(m.reason())))
            .toList();
    return optimiser.begin(operationId, planned).stream()
        .map(
            b ->
                new MigrationRequest(
                    b.shard(),
                    b.origin(),
                    b.destination(),
                    0,
                    true,
                    WARMUP,
                    WARMUP_REQUEST,
                    operationId,
                    true,
                    false))
        .toList();
  }

  @Override
  public void finish(
      long operationId, long completed, long reverted, long failed, boolean cancelled) {
    optimiser.finishPass(operationId, completed, reverted, failed, cancelled);
  }
}
