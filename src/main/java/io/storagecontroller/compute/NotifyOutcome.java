package io.storagecontroller.compute;

/** What a notification did when it did not fail. */
public enum NotifyOutcome {
  /** The control plane answered 2xx. */
  SENT,
  /** Dev mode (no control-plane URL): logged and remembered instead of sent. */
  LOGGED,
  /** Identical to the last notification the control plane confirmed: not sent again. */
  UNCHANGED,
  /**
   * Nothing to say yet: a shard of the current count has no attached node, the tenant is splitting,
   * or it is gone. The shard that attaches last notifies for the whole tenant.
   */
  NOT_READY
}
