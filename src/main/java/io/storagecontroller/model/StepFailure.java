package io.storagecontroller.model;

/**
 * A step of an operation (a reconcile, a migration step, a batch) that could not be done, in the
 * domain's words: {@code type} names what went wrong, {@code retryable} whether trying again may
 * succeed. The activity layer turns it into Temporal's failure of the same type; the domain never
 * sees Temporal.
 */
public final class StepFailure extends RuntimeException {
  private static final long serialVersionUID = 1L;

  private final String type;
  private final boolean retryable;

  private StepFailure(String type, String message, boolean retryable) {
    super(message);
    this.type = type;
    this.retryable = retryable;
  }

  /** The step may succeed later (a node still warming up, start-up not finished). */
  public static StepFailure retryLater(String type, String message) {
    return new StepFailure(type, message, true);
  }

  /** Trying again cannot help (the shard is gone, the state moved on). */
  public static StepFailure fatal(String type, String message) {
    return new StepFailure(type, message, false);
  }

  public String type() {
    return type;
  }

  public boolean retryable() {
    return retryable;
  }
}
