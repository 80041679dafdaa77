package io.storagecontroller.http;

import java.util.List;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;

/**
 * Values no parser of the kind may accept, in wire form (path and query values percent-encoded
 * where a raw character could not travel): ids of the wrong length or alphabet, numbers out of
 * range or not numbers at all, bytes that are not UTF-8, and very long ones.
 */
final class MalformedValues {
  private MalformedValues() {}

  private static final String HEX = "0123456789abcdef";

  /** Not a 32-digit hex id (tenant or timeline id). */
  static Arbitrary<String> hexId() {
    return Arbitraries.oneOf(
        Arbitraries.of(
            "nothex",
            "-1",
            "0",
            "null",
            "%20",
            "%00",
            "%FF%FE",
            "%C3%A9",
            "..",
            "a%2Fb",
            "%2e%2e",
            "0123456789abcdef0123456789abcdeg",
            "0123456789abcdef0123456789abcde%20",
            "x".repeat(10_000)),
        Arbitraries.strings().withChars(HEX).ofMinLength(1).ofMaxLength(31),
        Arbitraries.strings().withChars(HEX).ofMinLength(33).ofMaxLength(80),
        Arbitraries.strings().withChars("ghijklmnopqrstuvwxyzGHIJ_~.").ofLength(32));
  }

  /** Not a tenant shard id: a bad tenant part, or a bad {@code -NNCC} suffix. */
  static Arbitrary<String> tenantShardId(String tenant) {
    return Arbitraries.oneOf(
        hexId(),
        Arbitraries.of(
                "-", "-0", "-001", "-00001", "-zz01", "-0100", "-ff01", "-0201", "_0001", "-%00%00")
            .map(suffix -> tenant + suffix));
  }

  /** Not a u64 node id (nor any other integer id). */
  static Arbitrary<String> number() {
    return Arbitraries.of(
        "-1",
        "abc",
        "1.5",
        "1e3",
        "0x10",
        "18446744073709551616",
        "99999999999999999999",
        "%20",
        "%00",
        "%FF",
        "1%2F2",
        "9".repeat(5_000));
  }

  /** A malformed path value for a variable of this name. */
  static Arbitrary<String> pathValue(String variable, Victims victims) {
    return switch (variable) {
      case "tenant_id", "timeline_id" -> hexId();
      case "tenant_shard_id" -> tenantShardId(victims.tenant());
      default -> number();
    };
  }

  /** A malformed query value for a parameter read as this type. */
  static Arbitrary<String> queryValue(Class<?> type) {
    if (type == Integer.class || type == Long.class || type == int.class || type == long.class) {
      return Arbitraries.of("abc", "1.5", "-1", "99999999999999999999", "0x10", "%00", "1%20");
    }
    if (type == String.class) {
      // Timestamps (time travel): RFC 3339 only.
      return Arbitraries.of(
          "yesterday", "2024-13-45T00:00:00Z", "2024-01-01", "%00", "%FF", "1700000000");
    }
    return hexId();
  }

  /**
   * Strings no field of this name accepts (ids, enums, durations, failpoint actions), or an empty
   * list when any string would do.
   */
  static List<String> stringsFor(String field) {
    if (field.endsWith("tenant_id") || field.endsWith("timeline_id") || field.equals("id")) {
      return List.of("", "nothex", "0123", "0123456789abcdef0123456789abcdef-zz01");
    }
    if (field.endsWith("tenant_shard_id")) {
      return List.of("", "nothex", "0123456789abcdef0123456789abcdef-zz01");
    }
    return switch (field) {
      case "mode" -> List.of("Attached", "attachedsingle", "");
      case "scheduling" -> List.of("Sleeping", "active", "");
      case "availability" -> List.of("Up", "");
      case "gc_period", "secondary_warmup_timeout", "secondary_download_request_timeout" ->
          List.of("soon", "-1s", "");
      case "actions" -> List.of("bogus", "sleep(x)", "");
      case "listen_http_addr", "listen_pg_addr", "availability_zone_id" -> List.of("", "has space");
      default -> List.of();
    };
  }

  /** Whether a field of this name is an unsigned number (so -1 is out of range). */
  static boolean unsigned(String field) {
    return List.of(
            "node_id",
            "count",
            "stripe_size",
            "gen",
            "generation",
            "generation_override",
            "pg_version",
            "shard_number",
            "shard_count",
            "shard_stripe_size",
            "shard_counts",
            "listen_http_port",
            "listen_pg_port",
            "listen_https_port",
            "Attached")
        .contains(field);
  }
}
