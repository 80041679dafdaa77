package io.storagecontroller.compute;

import java.util.concurrent.locks.ReentrantLock;

/**
 * The hook's memory of one tenant. Sends for a tenant are serialised by {@link #lock} (Neon's
 * per-tenant send lock), so each send builds its body from the placement current when it starts and
 * never overtakes a newer one.
 */
final class TenantNotifyState {
  final ReentrantLock lock = new ReentrantLock();

  /**
   * The body the control plane last confirmed with a 2xx, or null. Guarded by {@link #lock}.
   * Cleared by any failure or 423 (Neon #9435): a failed request may still have changed the remote
   * state, so after A to B (failed) then B to A, A must be sent again.
   */
  NotifyAttachRequest applied;

  /** The last body delivered (or logged in dev mode), kept for tests and dumps; never cleared. */
  volatile NotifyAttachRequest lastDelivered;

  void delivered(NotifyAttachRequest body) {
    applied = body;
    lastDelivered = body;
  }
}
