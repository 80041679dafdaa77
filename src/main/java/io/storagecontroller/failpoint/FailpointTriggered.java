package io.storagecontroller.failpoint;

/**
 * A failpoint configured to {@code return} (or {@code panic}) was hit: the step it guards fails.
 * Activities fail for good on it ({@code StepFailures}, type {@code Failpoint}); an HTTP handler
 * answers 500 with the message, unless its caller maps it to the error Neon returns at that point.
 */
public final class FailpointTriggered extends RuntimeException {
  private static final long serialVersionUID = 1L;

  private final String failpoint;

  FailpointTriggered(String failpoint, String detail) {
    super("failpoint " + failpoint + (detail == null || detail.isEmpty() ? "" : ": " + detail));
    this.failpoint = failpoint;
  }

  /** The failpoint's name. */
  public String failpoint() {
    return failpoint;
  }
}
