package io.storagecontroller.model;

import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.annotation.JsonValue;
import java.nio.ByteBuffer;
import java.security.SecureRandom;
import java.util.HexFormat;

/**
 * A tenant's 16-byte id. Its canonical text is 32 lowercase hex characters; parsing also accepts
 * upper case because pageservers and humans are not consistent about it.
 */
public final class TenantId implements Comparable<TenantId> {
  private static final SecureRandom RANDOM = new SecureRandom();

  // Two big-endian halves: unsigned comparison of (hi, lo) is then byte order, which is also the
  // order of the lowercase hex text.
  private final long hi;
  private final long lo;

  private TenantId(long hi, long lo) {
    this.hi = hi;
    this.lo = lo;
  }

  @JsonCreator(mode = JsonCreator.Mode.DELEGATING)
  public static TenantId parse(String text) {
    if (text == null || text.length() != 32 || !text.chars().allMatch(HexFormat::isHexDigit)) {
      throw new IllegalArgumentException(
          "invalid tenant id '" + text + "': expected 32 hex characters");
    }
    return new TenantId(
        HexFormat.fromHexDigitsToLong(text, 0, 16), HexFormat.fromHexDigitsToLong(text, 16, 32));
  }

  /** For Spring's String-to-object conversion of path variables and query parameters. */
  public static TenantId valueOf(String text) {
    return parse(text);
  }

  public static TenantId fromBytes(byte[] bytes) {
    if (bytes == null || bytes.length != 16) {
      throw new IllegalArgumentException("invalid tenant id: expected 16 bytes");
    }
    ByteBuffer buffer = ByteBuffer.wrap(bytes);
    return new TenantId(buffer.getLong(), buffer.getLong());
  }

  public static TenantId generate() {
    return new TenantId(RANDOM.nextLong(), RANDOM.nextLong());
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
  public int compareTo(TenantId other) {
    int byHi = Long.compareUnsigned(hi, other.hi);
    return byHi != 0 ? byHi : Long.compareUnsigned(lo, other.lo);
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof TenantId other && hi == other.hi && lo == other.lo;
  }

  @Override
  public int hashCode() {
    return Long.hashCode(hi) * 31 + Long.hashCode(lo);
  }
}
