package io.storagecontroller.model;

import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.annotation.JsonValue;
import java.util.HexFormat;
import java.util.Locale;

/**
 * A PostgreSQL WAL position (u64), written as Postgres does: "hi/lo", each half upper-case hex
 * without zero padding, e.g. "0/169AD58". The value is an unsigned long.
 */
public record Lsn(long value) implements Comparable<Lsn> {
  public static final Lsn INVALID = new Lsn(0);
  public static final Lsn MAX = new Lsn(-1L);

  public static Lsn of(long value) {
    return new Lsn(value);
  }

  /**
   * Parses "hi/lo" in either case. Like Neon, surrounding whitespace is ignored and each half may
   * have leading zeros as long as it fits in 32 bits.
   */
  @JsonCreator(mode = JsonCreator.Mode.DELEGATING)
  public static Lsn parse(String text) {
    String trimmed = text == null ? "" : text.strip();
    int slash = trimmed.indexOf('/');
    if (slash < 0
        || !isU32Hex(trimmed, 0, slash)
        || !isU32Hex(trimmed, slash + 1, trimmed.length())) {
      throw new IllegalArgumentException(
          "invalid lsn '"
              + text
              + "': expected two 32-bit hex numbers as 'hi/lo', e.g. '0/169AD58'");
    }
    long hi = Long.parseLong(trimmed.substring(0, slash), 16);
    long lo = Long.parseLong(trimmed.substring(slash + 1), 16);
    return new Lsn(hi << 32 | lo);
  }

  /** For Spring's String-to-object conversion of query parameters. */
  public static Lsn valueOf(String text) {
    return parse(text);
  }

  private static boolean isU32Hex(String s, int from, int to) {
    if (from >= to) {
      return false;
    }
    int significant = 0;
    for (int i = from; i < to; i++) {
      char c = s.charAt(i);
      if (!HexFormat.isHexDigit(c)) {
        return false;
      }
      if (significant > 0 || c != '0') {
        significant++;
      }
    }
    return significant <= 8;
  }

  public boolean isValid() {
    return value != 0;
  }

  @Override
  public int compareTo(Lsn other) {
    return Long.compareUnsigned(value, other.value);
  }

  @JsonValue
  @Override
  public String toString() {
    return Long.toHexString(value >>> 32).toUpperCase(Locale.ROOT)
        + "/"
        + Long.toHexString(value & 0xFFFF_FFFFL).toUpperCase(Locale.ROOT);
  }
}
