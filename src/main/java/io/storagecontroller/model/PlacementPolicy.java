package io.storagecontroller.model;

import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.annotation.JsonValue;
import java.util.Map;

/**
 * Where a tenant shard should live. Serialized the way serde writes a Rust enum: {@code
 * {"Attached":1}}, {@code "Secondary"} or {@code "Detached"}. The same JSON text is stored in
 * {@code tenant_shards.placement_policy}, where old rows contain spaces ({@code {"Attached": 1}}),
 * so {@link #fromJson} parses rather than compares.
 */
public sealed interface PlacementPolicy {
  PlacementPolicy SECONDARY = new Secondary();
  PlacementPolicy DETACHED = new Detached();

  /** Attached to one pageserver, with this many secondary locations kept warm elsewhere. */
  record Attached(int secondaries) implements PlacementPolicy {
    public Attached {
      if (secondaries < 0) {
        throw new IllegalArgumentException(
            "invalid placement policy: secondaries " + secondaries + " must not be negative");
      }
    }

    @Override
    public String toString() {
      return toJson();
    }
  }

  /** Only secondary locations, no attachment. */
  record Secondary() implements PlacementPolicy {
    @Override
    public String toString() {
      return toJson();
    }
  }

  /** No locations at all. */
  record Detached() implements PlacementPolicy {
    @Override
    public String toString() {
      return toJson();
    }
  }

  static PlacementPolicy attached(int secondaries) {
    return new Attached(secondaries);
  }

  /** The compact JSON text, as Neon writes it to the database. */
  default String toJson() {
    return this instanceof Attached a
        ? "{\"Attached\":" + a.secondaries() + "}"
        : '"' + tag() + '"';
  }

  /**
   * Parses the JSON text without a Jackson mapper (the grammar is three shapes), tolerating
   * whitespace anywhere JSON allows it.
   */
  static PlacementPolicy fromJson(String text) {
    String s = text == null ? "" : text.strip();
    if (s.startsWith("\"") && s.endsWith("\"") && s.length() >= 2) {
      return fromTag(s.substring(1, s.length() - 1), text);
    }
    if (s.startsWith("{") && s.endsWith("}")) {
      String inner = s.substring(1, s.length() - 1);
      int colon = inner.indexOf(':');
      String number = colon < 0 ? "" : inner.substring(colon + 1).strip();
      if (colon > 0
          && inner.substring(0, colon).strip().equals("\"Attached\"")
          && !number.isEmpty()
          && number.chars().allMatch(c -> c >= '0' && c <= '9')) {
        try {
          return new Attached(Integer.parseInt(number));
        } catch (NumberFormatException e) {
          throw invalid(text);
        }
      }
    }
    throw invalid(text);
  }

  /** The value Jackson writes: a one-entry map for Attached, otherwise the bare variant name. */
  @JsonValue
  default Object jsonValue() {
    return this instanceof Attached a ? Map.of("Attached", a.secondaries()) : tag();
  }

  /** Jackson hands over the untyped tree: a String or a Map with one numeric entry. */
  @JsonCreator(mode = JsonCreator.Mode.DELEGATING)
  static PlacementPolicy fromJsonValue(Object value) {
    if (value instanceof String tag) {
      return fromTag(tag, value);
    }
    if (value instanceof Map<?, ?> map
        && map.size() == 1
        && map.get("Attached") instanceof Number n
        && (n instanceof Integer || n instanceof Long)
        && n.longValue() == n.intValue()) {
      return new Attached(n.intValue());
    }
    throw invalid(value);
  }

  private String tag() {
    return this instanceof Attached
        ? "Attached"
        : this instanceof Secondary ? "Secondary" : "Detached";
  }

  private static PlacementPolicy fromTag(String tag, Object original) {
    switch (tag) {
      case "Secondary":
        return SECONDARY;
      case "Detached":
        return DETACHED;
      default:
        throw invalid(original);
    }
  }

  private static IllegalArgumentException invalid(Object original) {
    return new IllegalArgumentException(
        "invalid placement policy '"
            + original
            + "': expected {\"Attached\":<secondaries>}, \"Secondary\" or \"Detached\"");
  }
}
