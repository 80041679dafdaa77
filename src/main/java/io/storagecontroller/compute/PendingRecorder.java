package io.storagecontroller.compute;

/**
 * Records whether a tenant still owes a notification. The hook calls it while it still holds the
 * tenant's send lock, so the outcome of one send can never be recorded after a later send's (a
 * success clearing the flag that a later failure had just set would lose that notification).
 */
@FunctionalInterface
interface PendingRecorder {
  PendingRecorder NONE = owed -> {};

  /**
   * @param owed true when the notification failed and must be sent again; false when the control
   *     plane has the current placement or there is nothing to send
   */
  void record(boolean owed);
}
