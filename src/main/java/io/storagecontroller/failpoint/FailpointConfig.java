package io.storagecontroller.failpoint;

import io.storagecontroller.http.ApiError;

/** One entry of {@code PUT /debug/v1/failpoints}: {@code {"name": str, "actions": str}}. */
public record FailpointConfig(String name, String actions) {

  /** A 400 naming the first missing field. */
  void validate() {
    if (name == null) {
      throw ApiError.badRequest("missing field `name`");
    }
    if (name.isBlank()) {
      throw ApiError.badRequest("invalid `name`: a failpoint needs a name");
    }
    if (actions == null) {
      throw ApiError.badRequest("missing field `actions`");
    }
  }
}
