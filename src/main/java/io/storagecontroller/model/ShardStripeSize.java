package io.storagecontroller.model;

import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.annotation.JsonValue;

/**
 * Length of a stripe in 8 KiB pages (u32). Zero is representable because unsharded tenants keep
 * whatever was stored; {@link ShardIdentity} rejects it for sharded tenants.
 */
public record ShardStripeSize(long value) {
  /** 16 MiB, the default since 2025-04-09. */
  public static final ShardStripeSize DEFAULT = new ShardStripeSize(2048);

  /** 256 MiB, the default before 2025-04-09; older tenants still carry it. */
  public static final ShardStripeSize LEGACY_DEFAULT = new ShardStripeSize(32768);

  public ShardStripeSize {
    if (value < 0 || value > 0xFFFF_FFFFL) {
      throw new IllegalArgumentException(
          "invalid stripe size " + value + ": expected 0..4294967295 pages");
    }
  }

  @JsonCreator(mode = JsonCreator.Mode.DELEGATING)
  public static ShardStripeSize of(long value) {
    return new ShardStripeSize(value);
  }

  /** Decimal text, for Spring's String-to-object conversion. */
  public static ShardStripeSize valueOf(String text) {
    try {
      return new ShardStripeSize(Long.parseLong(text));
    } catch (NumberFormatException e) {
      throw new IllegalArgumentException(
          "invalid stripe size '" + text + "': expected a decimal number of pages", e);
    }
  }

  @JsonValue
  @Override
  public long value() {
    return value;
  }

  @Override
  public String toString() {
    return Long.toString(value);
  }
}
