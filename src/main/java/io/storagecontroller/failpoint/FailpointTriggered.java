package io.storagecontroller.failpoint;

/** A failpoint set to {@code return} was reached: the step fails as if it had gone wrong. */
public final class FailpointTriggered extends RuntimeException {
  private static final long serialVersionUID = 1L;

  FailpointTriggered(String name) {
    super("failpoint " + name);
  }
}
