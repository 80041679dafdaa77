package io.storagecontroller.activities.optimiser;

import java.util.List;

/**
 * What a pass planned: migrations to run, how many surplus secondaries were dropped already, and
 * why nothing was planned when the optimiser stood aside (null otherwise).
 */
public record OptimiserPassPlan(List<OptimiserMove> moves, int removed, String idleBecause) {}
