package io.storagecontroller.compute;

/**
 * A notification that could not be delivered. The caller keeps it owed (the tenant's pending flag)
 * either way; {@link #retryable()} only says whether trying again soon may help (unavailable, busy,
 * timed out) or the control plane refused it (400/401/403/404 and other unexpected answers), so a
 * Temporal caller can choose between a retryable and a non-retryable failure.
 */
public class ComputeHookException extends RuntimeException {
  private static final long serialVersionUID = 1L;

  /** No HTTP status: the request failed before an answer (timeout, connection refused, ...). */
  public static final int NO_STATUS = -1;

  private final boolean retryable;
  private final int status;

  public ComputeHookException(String message, boolean retryable, int status) {
    super(message);
    this.retryable = retryable;
    this.status = status;
  }

  public ComputeHookException(String message, boolean retryable, int status, Throwable cause) {
    super(message, cause);
    this.retryable = retryable;
    this.status = status;
  }

  public boolean retryable() {
    return retryable;
  }

  /**
   * The control plane's last HTTP status, or {@link #NO_STATUS}. A 404 right after a tenant is
   * created is expected (the control plane stores the tenant only once creation returns): Neon logs
   * it quietly, and so may the caller.
   */
  public int status() {
    return status;
  }
}
