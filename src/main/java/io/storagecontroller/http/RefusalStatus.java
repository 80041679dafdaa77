package io.storagecontroller.http;

import io.storagecontroller.model.Refusal;
import org.springframework.http.HttpStatus;

/**
 * A domain refusal as Neon's API answers it (contract section 1.2): the status of Neon's {@code
 * ApiError} kind and its message prefix. A pageserver's answer relayed on the caller's behalf
 * follows Neon's {@code passthrough_api_error}: no answer is 503; 401/403 are the controller's own
 * misconfiguration, so 500; 429 becomes 409; anything else keeps its status.
 */
public final class RefusalStatus {
  private RefusalStatus() {}

  public static ApiError of(Refusal refusal) {
    String detail = refusal.getMessage();
    return switch (refusal.kind()) {
      case BAD_REQUEST -> ApiError.badRequest(detail);
      case NOT_FOUND -> ApiError.notFound(detail);
      case CONFLICT -> ApiError.conflict(detail);
      case PRECONDITION_FAILED -> ApiError.preconditionFailed(detail);
      case UNAVAILABLE -> ApiError.unavailable(detail);
      case TIMEOUT -> ApiError.timeout(detail);
      case RELAYED -> relayed(refusal.relayedStatus(), detail);
    };
  }

  private static ApiError relayed(int status, String detail) {
    if (status == 0) {
      return ApiError.unavailable(detail);
    }
    if (status == 401 || status == 403) {
      return ApiError.withStatus(HttpStatus.INTERNAL_SERVER_ERROR, detail);
    }
    if (status == 429) {
      return ApiError.conflict(detail);
    }
    HttpStatus resolved = HttpStatus.resolve(status);
    return ApiError.withStatus(resolved == null ? HttpStatus.BAD_GATEWAY : resolved, detail);
  }
}
