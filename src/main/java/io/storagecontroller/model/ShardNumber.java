package io.storagecontroller.model;

import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.annotation.JsonValue;

/** 0-based index of a shard within its tenant; a u8 on the wire, so 0..255. */
public record ShardNumber(int value) implements Comparable<ShardNumber> {
  public static final ShardNumber ZERO = new ShardNumber(0);

  public ShardNumber {
    if (value < 0 || value > 255) {
      throw new IllegalArgumentException("invalid shard number " + value + ": expected 0..255");
    }
  }

  @JsonCreator(mode = JsonCreator.Mode.DELEGATING)
  public static ShardNumber of(int value) {
    return new ShardNumber(value);
  }

  /** Decimal text, for Spring's String-to-object conversion. */
  public static ShardNumber valueOf(String text) {
    try {
      return new ShardNumber(Integer.parseInt(text));
    } catch (NumberFormatException e) {
      throw new IllegalArgumentException(
          "invalid shard number '" + text + "': expected a decimal number 0..255", e);
    }
  }

  @JsonValue
  @Override
  public int value() {
    return value;
  }

  @Override
  public int compareTo(ShardNumber other) {
    return Integer.compare(value, other.value);
  }

  @Override
  public String toString() {
    return Integer.toString(value);
  }
}
