package io.storagecontroller.model;

import java.time.Duration;
import java.util.Locale;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Durations in Neon's text form (Rust's humantime): {@code 30s}, {@code 300ms}, {@code 1h 30m},
 * {@code 7days}. Used by flags and by request fields such as {@code secondary_warmup_timeout}.
 */
public final class HumanDuration {
  private static final Pattern PART = Pattern.compile("\\s*(\\d+)\\s*([a-zA-Zµ]+)");
  private static final Map<String, Duration> UNITS =
      Map.ofEntries(
          Map.entry("nsec", Duration.ofNanos(1)),
          Map.entry("ns", Duration.ofNanos(1)),
          Map.entry("usec", Duration.ofNanos(1_000)),
          Map.entry("us", Duration.ofNanos(1_000)),
          Map.entry("µs", Duration.ofNanos(1_000)),
          Map.entry("msec", Duration.ofMillis(1)),
          Map.entry("ms", Duration.ofMillis(1)),
          Map.entry("seconds", Duration.ofSeconds(1)),
          Map.entry("second", Duration.ofSeconds(1)),
          Map.entry("sec", Duration.ofSeconds(1)),
          Map.entry("secs", Duration.ofSeconds(1)),
          Map.entry("s", Duration.ofSeconds(1)),
          Map.entry("minutes", Duration.ofMinutes(1)),
          Map.entry("minute", Duration.ofMinutes(1)),
          Map.entry("min", Duration.ofMinutes(1)),
          Map.entry("mins", Duration.ofMinutes(1)),
          Map.entry("m", Duration.ofMinutes(1)),
          Map.entry("hours", Duration.ofHours(1)),
          Map.entry("hour", Duration.ofHours(1)),
          Map.entry("hr", Duration.ofHours(1)),
          Map.entry("hrs", Duration.ofHours(1)),
          Map.entry("h", Duration.ofHours(1)),
          Map.entry("days", Duration.ofDays(1)),
          Map.entry("day", Duration.ofDays(1)),
          Map.entry("d", Duration.ofDays(1)),
          Map.entry("weeks", Duration.ofDays(7)),
          Map.entry("week", Duration.ofDays(7)),
          Map.entry("w", Duration.ofDays(7)));

  private HumanDuration() {}

  public static Duration parse(String text) {
    if (text == null || text.isBlank()) {
      throw new IllegalArgumentException("empty duration (expected e.g. 30s, 5m, 1h)");
    }
    Matcher m = PART.matcher(text);
    Duration total = Duration.ZERO;
    int end = 0;
    while (m.lookingAt()) {
      Duration unit = UNITS.get(m.group(2).toLowerCase(Locale.ROOT));
      if (unit == null) {
        throw new IllegalArgumentException(
            "'"
                + text
                + "' has an unknown time unit '"
                + m.group(2)
                + "' (expected e.g. ms, s, m, h, d)");
      }
      try {
        total = total.plus(unit.multipliedBy(Long.parseLong(m.group(1))));
      } catch (ArithmeticException | NumberFormatException e) {
        throw new IllegalArgumentException("'" + text + "' is too long a duration", e);
      }
      end = m.end();
      m.region(end, text.length());
    }
    if (end == 0 || !text.substring(end).isBlank()) {
      throw new IllegalArgumentException(
          "'" + text + "' is not a duration (expected e.g. 30s, 5m, 1h)");
    }
    return total;
  }

  /** The shortest exact text form, e.g. {@code 90s} becomes {@code 1m 30s}. */
  public static String format(Duration d) {
    if (d.isZero()) {
      return "0s";
    }
    StringBuilder out = new StringBuilder();
    long days = d.toDays();
    append(out, days, "d");
    append(out, d.toHoursPart(), "h");
    append(out, d.toMinutesPart(), "m");
    append(out, d.toSecondsPart(), "s");
    append(out, d.toMillisPart(), "ms");
    append(out, d.toNanosPart() % 1_000_000, "ns");
    return out.toString();
  }

  private static void append(StringBuilder out, long value, String unit) {
    if (value != 0) {
      out.append(out.length() == 0 ? "" : " ").append(value).append(unit);
    }
  }
}
