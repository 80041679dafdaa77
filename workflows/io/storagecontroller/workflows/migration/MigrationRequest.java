package io.storagecontroller.workflows.migration;

import java.time.Duration;

/**
 * A migration of {@code tenantShardId} from {@code origin} to {@code destination}; {@code
 * operationId} is its operations row (0 when it runs as part of a drain or fill, which has its
 * own). Warm-up bounds follow Neon: 300 s / 20 s for an operator's migration, 30 s / 5 s for drain
 * and fill.
 */
public record MigrationRequest(
    String tenantShardId,
    long origin,
    long destination,
    long operationId,
    boolean prewarm,
    Duration warmupTimeout,
    Duration warmupRequestTimeout) {}
