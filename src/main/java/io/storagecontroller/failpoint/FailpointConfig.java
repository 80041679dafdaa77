package io.storagecontroller.failpoint;

import io.storagecontroller.model.Refusal;

/** One entry of {@code PUT /debug/v1/failpoints}: {@code {"name": str, "actions": str}}. */
public record FailpointConfig(String name, String actions) {

  /** A 400 naming the first missing field. */
  void validate() {
    if (name == null) {
      throw Refusal.badRequest("missing field `name`");
    }
    if (name.isBlank()) {
      throw Refusal.badRequest("invalid `name`: a failpoint needs a name");
    }
    if (actions == null) {
      throw Refusal.badRequest("missing field `actions`");
    }
  }
}
