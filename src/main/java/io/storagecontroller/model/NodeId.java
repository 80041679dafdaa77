package io.storagecontroller.model;

import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.annotation.JsonValue;

/**
 * A pageserver or safekeeper id. Neon uses u64, but ids live in a BIGINT column, so only the
 * non-negative long range is accepted.
 */
public record NodeId(long value) implements Comparable<NodeId> {
  public NodeId {
    if (value < 0) {
      throw new IllegalArgumentException("invalid node id " + value + ": must not be negative");
    }
  }

  @JsonCreator(mode = JsonCreator.Mode.DELEGATING)
  public static NodeId of(long value) {
    return new NodeId(value);
  }

  /** Decimal text, for Spring's String-to-object conversion of path variables. */
  public static NodeId valueOf(String text) {
    try {
      return new NodeId(Long.parseLong(text));
    } catch (NumberFormatException e) {
      throw new IllegalArgumentException(
          "invalid node id '" + text + "': expected a non-negative decimal number", e);
    }
  }

  @JsonValue
  @Override
  public long value() {
    return value;
  }

  @Override
  public int compareTo(NodeId other) {
    return Long.compare(value, other.value);
  }

  @Override
  public String toString() {
    return Long.toString(value);
  }
}
