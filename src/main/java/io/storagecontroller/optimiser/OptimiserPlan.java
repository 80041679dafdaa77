package io.storagecontroller.optimiser;

import io.storagecontroller.optimiser.Optimisation.MigrateAttachment;
import io.storagecontroller.optimiser.Optimisation.RemoveSecondary;
import java.util.List;

/**
 * One pass's plan, or why the pass planned nothing ({@code idleBecause}: paused, a drain running, a
 * node awaiting evacuation; null when the fleet was looked at).
 */
public record OptimiserPlan(
    List<MigrateAttachment> migrations, List<RemoveSecondary> removals, String idleBecause) {
  public OptimiserPlan {
    migrations = List.copyOf(migrations);
    removals = List.copyOf(removals);
  }

  static OptimiserPlan idle(String because) {
    return new OptimiserPlan(List.of(), List.of(), because);
  }

  public boolean isEmpty() {
    return migrations.isEmpty() && removals.isEmpty();
  }
}
