package io.storagecontroller.leadership;

import io.storagecontroller.config.StartRefused;

/**
 * Start-up refused: another controller holds this database's leader lock. Two controllers acting on
 * one database would each act on their own memory (one detaching what the other just attached).
 */
public class AnotherControllerRunning extends StartRefused {
  public AnotherControllerRunning() {
    super("another storage_controller is running on this database (it holds the leader lock)");
  }

  @Override
  public String action() {
    return "Stop the running controller first, or start this one with --start-as-candidate to"
        + " take over from it (a rolling deploy).";
  }
}
