package io.storagecontroller.split;

/**
 * The commit found the parents no longer splitting (an abort ran, or the tenant changed): it
 * changed nothing, and the split must be rolled back rather than retried.
 */
public final class SplitNoLongerPending extends RuntimeException {
  private static final long serialVersionUID = 1L;

  SplitNoLongerPending(String message) {
    super(message);
  }
}
