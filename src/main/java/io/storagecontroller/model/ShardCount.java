package io.storagecontroller.model;

import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.annotation.JsonValue;

/**
 * Number of shards in a tenant, as the u8 literal that is stored and sent. The literal 0 is the
 * legacy unsharded tenant: one shard whose ids carry no shard suffix. The literal 1 is a modern
 * single-shard tenant, whose id has the suffix "-0001".
 */
public record ShardCount(int literal) implements Comparable<ShardCount> {
  public static final ShardCount UNSHARDED = new ShardCount(0);

  public ShardCount {
    if (literal < 0 || literal > 255) {
      throw new IllegalArgumentException("invalid shard count " + literal + ": expected 0..255");
    }
  }

  @JsonCreator(mode = JsonCreator.Mode.DELEGATING)
  public static ShardCount of(int literal) {
    return new ShardCount(literal);
  }

  /** Decimal text of the literal, for Spring's String-to-object conversion. */
  public static ShardCount valueOf(String text) {
    try {
      return new ShardCount(Integer.parseInt(text));
    } catch (NumberFormatException e) {
      throw new IllegalArgumentException(
          "invalid shard count '" + text + "': expected a decimal number 0..255", e);
    }
  }

  @JsonValue
  @Override
  public int literal() {
    return literal;
  }

  /** The real number of shards: a legacy unsharded tenant still has one. */
  public int count() {
    return Math.max(literal, 1);
  }

  /** True only for the legacy literal 0, not for a modern single shard. */
  public boolean isUnsharded() {
    return literal == 0;
  }

  public boolean isSharded() {
    return count() > 1;
  }

  @Override
  public int compareTo(ShardCount other) {
    return Integer.compare(literal, other.literal);
  }

  @Override
  public String toString() {
    return Integer.toString(literal);
  }
}
