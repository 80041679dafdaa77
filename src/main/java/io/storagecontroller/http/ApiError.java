package io.storagecontroller.http;

import org.springframework.http.HttpStatus;

/**
 * An error answered to an API caller as {@code {"msg": ...}} with the status and message prefix of
 * Neon's {@code ApiError} kinds (contract section 1.2), so callers that match on either keep
 * working.
 */
public final class ApiError extends RuntimeException {
  private static final long serialVersionUID = 1L;

  private final HttpStatus status;

  private ApiError(HttpStatus status, String msg) {
    super(msg);
    this.status = status;
  }

  public HttpStatus status() {
    return status;
  }

  public static ApiError badRequest(String detail) {
    return new ApiError(HttpStatus.BAD_REQUEST, detail);
  }

  public static ApiError unauthorized(String detail) {
    return new ApiError(HttpStatus.UNAUTHORIZED, "Unauthorized: " + detail);
  }

  public static ApiError forbidden(String detail) {
    return new ApiError(HttpStatus.FORBIDDEN, "Forbidden: " + detail);
  }

  public static ApiError notFound(String detail) {
    return new ApiError(HttpStatus.NOT_FOUND, "NotFound: " + detail);
  }

  public static ApiError conflict(String detail) {
    return new ApiError(HttpStatus.CONFLICT, "Conflict: " + detail);
  }

  public static ApiError preconditionFailed(String detail) {
    return new ApiError(HttpStatus.PRECONDITION_FAILED, "Precondition failed: " + detail);
  }

  public static ApiError unavailable(String detail) {
    return new ApiError(HttpStatus.SERVICE_UNAVAILABLE, detail);
  }

  public static ApiError timeout(String detail) {
    return new ApiError(HttpStatus.REQUEST_TIMEOUT, detail);
  }

  /** An error with a status relayed from elsewhere (e.g. a pageserver's answer, passed through). */
  public static ApiError withStatus(HttpStatus status, String msg) {
    return new ApiError(status, msg);
  }

  public static ApiError shuttingDown() {
    return new ApiError(HttpStatus.SERVICE_UNAVAILABLE, "Shutting down");
  }
}
