package io.storagecontroller.tools.storcon;

import java.util.ArrayList;
import java.util.List;
import tools.jackson.databind.JsonNode;

/** The short spellings tables use for the API's values. */
final class Describe {
  private Describe() {}

  /**
   * A placement policy as Neon's storcon_cli prints it (Rust's Debug): {@code {"Attached":1}} as
   * {@code Attached(1)}, {@code "Secondary"} and {@code "Detached"} as they are.
   */
  static String placement(JsonNode policy) {
    if (policy.isObject() && policy.has("Attached")) {
      return "Attached(" + policy.get("Attached").asInt() + ")";
    }
    return policy.isString() ? policy.asString() : "";
  }

  /** A shard's role on a node: primary, secondary, or blank when it is not there. */
  static String role(JsonNode isSecondary) {
    if (!isSecondary.isBoolean()) {
      return "";
    }
    return isSecondary.asBoolean() ? "secondary" : "primary";
  }

  /** A shard's flags worth an operator's eye: reconciling, pending compute, splitting, ... */
  static String status(JsonNode shard) {
    List<String> parts = new ArrayList<>();
    if (shard.path("is_reconciling").asBoolean(false)) {
      parts.add("reconciling");
    }
    if (shard.path("is_pending_compute_notification").asBoolean(false)) {
      parts.add("pending_compute");
    }
    if (shard.path("is_splitting").asBoolean(false)) {
      parts.add("splitting");
    }
    if (shard.path("is_importing").asBoolean(false)) {
      parts.add("importing");
    }
    return String.join(",", parts);
  }
}
