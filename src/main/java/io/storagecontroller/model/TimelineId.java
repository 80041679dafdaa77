package io.storagecontroller.model;

import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.annotation.JsonValue;
import java.nio.ByteBuffer;
import java.security.SecureRandom;
import java.util.HexFormat;

/**
 * A timeline's 16-byte id. Its canonical text is 32 lowercase hex characters; parsing also accepts
 * upper case because pageservers and humans are not consistent about it.
 */
public final class TimelineId implements Comparable<TimelineId> {
  private static final SecureRandom RANDOM = new SecureRandom();

  // Two big-endian halves: unsigned comparison of (hi, lo) is then byte order, which is also the
  // order of the lowercase hex text.
  private final long hi;
  private final long lo;

  private TimelineId(long hi, long lo) {
    this.hi = hi;
    this.lo = lo;
  }

  @JsonCreator(mode = JsonCreator.Mode.DELEGATING)
  public static TimelineId parse(String text) {
    if (text == null || text.length() != 32 || !text.chars().allMatch(HexFormat::isHexDigit)) {
      throw new IllegalArgumentException(
          "invalid timeline id '" + text + "': expected 32 hex characters");
    }
    return new TimelineId(
        HexFormat.fromHexDigitsToLong(text, 0, 16), HexFormat.fromHexDigitsToLong(text, 16, 32));
  }

  /** For Spring's String-to-object conversion of path variables and query parameters. */
  public static TimelineId valueOf(String text) {
    return parse(text);
  }

  public static TimelineId fromBytes(byte[] bytes) {
    if (bytes == null || bytes.length != 16) {
      throw new IllegalArgumentException("invalid timeline id: expected 16 bytes");
    }
    ByteBuffer buffer = ByteBuffer.wrap(bytes);
    return new TimelineId(buffer.getLong(), buffer.getLong());
  }

  public static TimelineId generate() {
    return new TimelineId(RANDOM.nextLong(), RANDOM.nextLong());
  }

  public byte[] toBytes() {
    return ByteBuffer.allocate(16).putLong(hi).putLong(lo).array();
  }

  @JsonValue
  @Override
  public String toString() {
    return HexFormat.of().toHexDigits(hi) + HexFormat.of().toHexDigits(lo);
  }

  @Override
  public int compareTo(TimelineId other) {
    int byHi = Long.compareUnsigned(hi, other.hi);
    return byHi != 0 ? byHi : Long.compareUnsigned(lo, other.lo);
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof TimelineId other && hi == other.hi && lo == other.lo;
  }

  @Override
  public int hashCode() {
    return Long.hashCode(hi) * 31 + Long.hashCode(lo);
  }
}
