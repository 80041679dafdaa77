package io.storagecontroller.model;

import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.annotation.JsonValue;

/**
 * An attachment generation (u32, kept in a long so the whole range stays positive). Neon's "none"
 * generation is never serialized, so it has no value here: an absent generation is a null {@code
 * Generation}.
 */
public record Generation(long value) implements Comparable<Generation> {
  private static final long MAX = 0xFFFF_FFFFL;

  public Generation {
    if (value < 0 || value > MAX) {
      throw new IllegalArgumentException(
          "invalid generation " + value + ": expected 0..4294967295");
    }
  }

  @JsonCreator(mode = JsonCreator.Mode.DELEGATING)
  public static Generation of(long value) {
    return new Generation(value);
  }

  /** Decimal text, for Spring's String-to-object conversion. */
  public static Generation valueOf(String text) {
    try {
      return new Generation(Long.parseLong(text));
    } catch (NumberFormatException e) {
      throw new IllegalArgumentException(
          "invalid generation '" + text + "': expected a decimal number 0..4294967295", e);
    }
  }

  /** The generation issued after this one; running out of u32 is a bug, as it is in Neon. */
  public Generation next() {
    if (value == MAX) {
      throw new IllegalStateException("generation " + value + " has no successor");
    }
    return new Generation(value + 1);
  }

  @JsonValue
  @Override
  public long value() {
    return value;
  }

  @Override
  public int compareTo(Generation other) {
    return Long.compare(value, other.value);
  }

  @Override
  public String toString() {
    return Long.toString(value);
  }
}
