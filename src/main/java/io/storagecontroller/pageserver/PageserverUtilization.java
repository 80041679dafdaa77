package io.storagecontroller.pageserver;

/** The heartbeat payload of {@code GET /v1/utilization}. */
public record PageserverUtilization(
    long diskUsageBytes,
    long freeSpaceBytes,
    long diskWantedBytes,
    int diskUsablePct,
    long shardCount,
    long maxShardCount,
    Long utilizationScore,
    String capturedAt) {}
