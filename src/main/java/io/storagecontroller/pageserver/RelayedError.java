package io.storagecontroller.pageserver;

import io.storagecontroller.http.ApiError;
import org.springframework.http.HttpStatus;

/**
 * How a pageserver's failure reaches an API caller on the routes that relay pageserver calls
 * (Neon's {@code passthrough_api_error}, contract section 1.2): no answer is 503; 401/403 are the
 * controller's own misconfiguration, so 500; 429 becomes 409; anything else keeps its status.
 */
public final class RelayedError {
  private RelayedError() {}

  public static ApiError of(PageserverException e) {
    int status = e.status();
    if (status == 0) {
      return ApiError.unavailable(e.getMessage());
    }
    if (status == 401 || status == 403) {
      return ApiError.withStatus(HttpStatus.INTERNAL_SERVER_ERROR, e.getMessage());
    }
    if (status == 429) {
      return ApiError.conflict(e.getMessage());
    }
    HttpStatus resolved = HttpStatus.resolve(status);
    return ApiError.withStatus(
        resolved == null ? HttpStatus.BAD_GATEWAY : resolved, e.getMessage());
  }
}
