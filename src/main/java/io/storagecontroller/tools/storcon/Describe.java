package io.storagecontroller.tools.storcon;

import java.util.ArrayList;
import java.util.List;
import tools.jackson.core.util.DefaultIndenter;
import tools.jackson.core.util.DefaultPrettyPrinter;
import tools.jackson.core.util.Separators;
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

  /** A stripe size as Neon's prints it (Rust's Debug): {@code ShardStripeSize(2048)}. */
  static String stripeSize(JsonNode stripeSize) {
    return stripeSize.isNumber() ? "ShardStripeSize(" + stripeSize.asString() + ")" : "";
  }

  /** A shard's role on a node as Neon's prints it: Primary, Secondary, or blank when not there. */
  static String role(JsonNode isSecondary) {
    if (!isSecondary.isBoolean()) {
      return "";
    }
    return isSecondary.asBoolean() ? "Secondary" : "Primary";
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

  /**
   * JSON laid out as serde_json's {@code to_string_pretty} lays it out (Neon's tenant-describe
   * prints the config so): two-space indents, arrays a value a line, {@code "a": 1}, {@code {}}.
   */
  static String prettyJson(JsonNode value) {
    DefaultIndenter indent = new DefaultIndenter("  ", "\n");
    DefaultPrettyPrinter printer =
        new DefaultPrettyPrinter(
                Separators.createDefaultInstance()
                    .withObjectNameValueSpacing(Separators.Spacing.AFTER)
                    .withObjectEmptySeparator("")
                    .withArrayEmptySeparator(""))
            .withObjectIndenter(indent)
            .withArrayIndenter(indent);
    return ControllerApi.JSON.writer().with(printer).writeValueAsString(value);
  }
}
