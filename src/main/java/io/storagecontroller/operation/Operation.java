package io.storagecontroller.operation;

import java.time.OffsetDateTime;

/**
 * One long operation as the operations API shows it; {@code workflow_id} finds it in the Temporal
 * UI, {@code phase} says which step a running operation is at, {@code parameters} (JSON) what it
 * was asked beyond its target.
 */
public record Operation(
    long id,
    String kind,
    String target,
    String workflowId,
    String state,
    String phase,
    long progressDone,
    long progressTotal,
    String error,
    OffsetDateTime startedAt,
    OffsetDateTime finishedAt,
    String parameters) {
  public static final String RUNNING = "running";
  public static final String SUCCEEDED = "succeeded";
  public static final String FAILED = "failed";
  public static final String CANCELLED = "cancelled";

  public boolean running() {
    return RUNNING.equals(state);
  }
}
