package io.storagecontroller.workflows.optimiser;

import java.time.Duration;

/**
 * How the optimiser runs: {@code interval} between passes that found nothing to do (a pass that
 * moved shards is followed by the next at once), at most {@code limit} migrations per pass.
 */
public record OptimiserRequest(Duration interval, int limit) {}
