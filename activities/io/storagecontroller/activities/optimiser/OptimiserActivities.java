package io.storagecontroller.activities.optimiser;

import io.storagecontroller.activities.migration.MigrationRequest;
import io.temporal.activity.ActivityInterface;
import io.temporal.activity.ActivityMethod;
import java.util.List;

/** The background optimiser's steps, each one call into the domain. */
@ActivityInterface(namePrefix = "Optimiser")
public interface OptimiserActivities {
  /** Plans a pass of at most {@code limit} migrations and drops the surplus secondaries found. */
  @ActivityMethod
  OptimiserPassPlan plan(int limit);

  /** Opens the pass's operations row (closing one a lost attempt left); returns its id. */
  @ActivityMethod
  long open(int planned);

  /** Moves the planned intents still valid; returns the live migrations to run. */
  @ActivityMethod
  List<MigrationRequest> begin(long operationId, List<OptimiserMove> moves);

  /** Closes the pass's row with what its migrations did. */
  @ActivityMethod
  void finish(long operationId, long completed, long reverted, long failed, boolean cancelled);
}
