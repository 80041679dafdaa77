package io.storagecontroller.config;

/**
 * Start-up refused for a reason the operator must fix (another controller is running on the same
 * database or data directory): the command line prints the message as one line and exits 2.
 */
public abstract class StartRefused extends RuntimeException {
  protected StartRefused(String message) {
    super(message);
  }

  /** What the operator can do about it. */
  public abstract String action();
}
