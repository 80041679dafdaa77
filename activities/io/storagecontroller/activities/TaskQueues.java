package io.storagecontroller.activities;

/** The Temporal task queue every workflow and activity of the controller runs on. */
public final class TaskQueues {
  public static final String CONTROLLER = "storage-controller";

  private TaskQueues() {}
}
