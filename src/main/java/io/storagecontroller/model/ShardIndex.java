package io.storagecontroller.model;

import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.annotation.JsonValue;
import java.util.HexFormat;
import java.util.Objects;

/**
 * A shard without its tenant, written "NNCC": number then count literal, two lowercase hex digits
 * each. Used where the tenant is implied, e.g. as keys of a tenant's per-shard JSON maps.
 */
public record ShardIndex(ShardNumber number, ShardCount count) implements Comparable<ShardIndex> {
  public static final ShardIndex UNSHARDED = new ShardIndex(ShardNumber.ZERO, ShardCount.UNSHARDED);

  public ShardIndex {
    Objects.requireNonNull(number, "number");
    Objects.requireNonNull(count, "count");
  }

  @JsonCreator(mode = JsonCreator.Mode.DELEGATING)
  public static ShardIndex parse(String text) {
    if (text == null || text.length() != 4 || !text.chars().allMatch(HexFormat::isHexDigit)) {
      throw new IllegalArgumentException(
          "invalid shard index '" + text + "': expected 4 hex characters NNCC");
    }
    int number = HexFormat.fromHexDigits(text, 0, 2);
    int count = HexFormat.fromHexDigits(text, 2, 4);
    // No shard has it: refused here rather than taken for some other shard of the tenant.
    if (number >= Math.max(count, 1)) {
      throw new IllegalArgumentException(
          "invalid shard index '"
              + text
              + "': shard number "
              + number
              + " is not below the shard count "
              + count
              + (count == 0 ? " (unsharded: only shard 0)" : ""));
    }
    return new ShardIndex(new ShardNumber(number), new ShardCount(count));
  }

  /** For Spring's String-to-object conversion. */
  public static ShardIndex valueOf(String text) {
    return parse(text);
  }

  @JsonValue
  @Override
  public String toString() {
    return HexFormat.of().toHexDigits((byte) number.value())
        + HexFormat.of().toHexDigits((byte) count.literal());
  }

  @Override
  public int compareTo(ShardIndex other) {
    int byNumber = number.compareTo(other.number);
    return byNumber != 0 ? byNumber : count.compareTo(other.count);
  }
}
