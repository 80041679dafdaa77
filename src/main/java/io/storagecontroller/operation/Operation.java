package io.storagecontroller.operation;

import java.time.OffsetDateTime;

/**
 * One long operation as the operations API shows it; {@code workflow_id} finds it in the Temporal
 * UI.
 */
public record Operation(
    long id,
    String kind,
    String target,
    String workflowId,
    String state,
    long progressDone,
    long progressTotal,
    String error,
    OffsetDateTime startedAt,
    OffsetDateTime finishedAt) {}
