package io.storagecontroller.tools.storcon;

/**
 * The controller refused a request (its {@code msg} and status) or could not be reached (status 0).
 * The CLI prints the message and exits 1.
 */
public final class ApiFailure extends RuntimeException {
  private final int status;

  public ApiFailure(int status, String message) {
    super(message);
    this.status = status;
  }

  public ApiFailure(String message, Throwable cause) {
    super(message, cause);
    this.status = 0;
  }

  /** The HTTP status, or 0 when no answer came. */
  public int status() {
    return status;
  }
}
