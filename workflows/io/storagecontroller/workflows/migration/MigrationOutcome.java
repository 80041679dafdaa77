package io.storagecontroller.workflows.migration;

/** How a migration ended: the attachment is on the destination, back on the origin, or failed. */
public enum MigrationOutcome {
  COMPLETED,
  REVERTED,
  FAILED
}
