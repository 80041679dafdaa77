package io.storagecontroller.pageserver;

import io.storagecontroller.scheduler.Utilization;

/** The heartbeat payload of {@code GET /v1/utilization}. */
public record PageserverUtilization(
    long diskUsageBytes,
    long freeSpaceBytes,
    long diskWantedBytes,
    int diskUsablePct,
    long shardCount,
    long maxShardCount,
    Long utilizationScore,
    String capturedAt) {

  /** The scheduler's view of these figures. */
  public Utilization toUtilization() {
    return Utilization.reported(
        diskUsageBytes,
        freeSpaceBytes,
        diskUsablePct,
        diskWantedBytes,
        shardCount,
        maxShardCount,
        utilizationScore);
  }
}
