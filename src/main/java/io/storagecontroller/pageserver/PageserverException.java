package io.storagecontroller.pageserver;

import io.storagecontroller.model.NodeId;

/**
 * A pageserver call that failed. {@link #retryable()} separates what may succeed on another try
 * (connection refused, timeout, 5xx, 408, 429) from what cannot (400, 404, 409, ...): activities
 * turn the latter into non-retryable failures instead of hammering a pageserver with a request it
 * will always refuse.
 */
public final class PageserverException extends RuntimeException {
  private static final long serialVersionUID = 1L;

  private final transient NodeId nodeId;
  private final String operation;
  private final int status;
  private final boolean retryable;

  private PageserverException(
      NodeId nodeId,
      String operation,
      int status,
      boolean retryable,
      String message,
      Throwable cause) {
    super(message, cause);
    this.nodeId = nodeId;
    this.operation = operation;
    this.status = status;
    this.retryable = retryable;
  }

  /** The pageserver could not be reached or did not answer in time. */
  public static PageserverException unreachable(NodeId node, String operation, Throwable cause) {
    return new PageserverException(
        node,
        operation,
        0,
        true,
        "pageserver " + node + " " + operation + ": " + describe(cause),
        cause);
  }

  /** The TLS handshake failed: retrying cannot help until the certificate or trust changes. */
  public static PageserverException tls(NodeId node, String operation, Throwable cause) {
    return new PageserverException(
        node,
        operation,
        0,
        false,
        "pageserver " + node + " " + operation + ": TLS handshake failed: " + describe(cause),
        cause);
  }

  /** The pageserver answered with an error status. */
  public static PageserverException status(NodeId node, String operation, int status, String msg) {
    return new PageserverException(
        node,
        operation,
        status,
        isRetryable(status),
        "pageserver " + node + " " + operation + ": HTTP " + status + ": " + msg,
        null);
  }

  public static boolean isRetryable(int status) {
    return status >= 500 || status == 408 || status == 429;
  }

  public NodeId nodeId() {
    return nodeId;
  }

  public String operation() {
    return operation;
  }

  /** The HTTP status, or 0 when there was no answer. */
  public int status() {
    return status;
  }

  public boolean retryable() {
    return retryable;
  }

  public boolean isNotFound() {
    return status == 404;
  }

  private static String describe(Throwable cause) {
    String what = cause.getClass().getSimpleName();
    return cause.getMessage() == null ? what : what + ": " + cause.getMessage();
  }
}
