package io.storagecontroller.tenant;

import io.storagecontroller.model.HumanDuration;
import io.storagecontroller.model.Refusal;
import java.util.Map;
import java.util.Set;
import tools.jackson.databind.JsonNode;

/**
 * Neon's TenantConfig fields and the JSON each takes (contract section 3.5). Requests that flatten
 * the config into their top level (tenant create, config PUT) refuse any other field, as serde's
 * deny_unknown_fields does. Values are checked as serde would type them, so a malformed config is a
 * 400 rather than stored and refused by every pageserver later; the config is otherwise stored and
 * forwarded as an opaque object.
 */
public final class TenantConfigFields {
  /** The JSON a field takes. */
  private enum Kind {
    /** A humantime string, e.g. {@code "1h"}. */
    DURATION,
    BOOL,
    /** A non-negative integer (u64, usize). */
    UNSIGNED,
    U8,
    NON_ZERO_UNSIGNED,
    /** A structured value (e.g. eviction_policy); its contents are the pageserver's to judge. */
    OBJECT
  }

  private static final Map<String, Kind> KINDS =
      Map.ofEntries(
          Map.entry("checkpoint_distance", Kind.UNSIGNED),
          Map.entry("checkpoint_timeout", Kind.DURATION),
          Map.entry("compaction_target_size", Kind.UNSIGNED),
          Map.entry("compaction_period", Kind.DURATION),
          Map.entry("compaction_threshold", Kind.UNSIGNED),
          Map.entry("compaction_upper_limit", Kind.UNSIGNED),
          Map.entry("compaction_algorithm", Kind.OBJECT),
          Map.entry("compaction_shard_ancestor", Kind.BOOL),
          Map.entry("compaction_l0_first", Kind.BOOL),
          Map.entry("compaction_l0_semaphore", Kind.BOOL),
          Map.entry("l0_flush_delay_threshold", Kind.UNSIGNED),
          Map.entry("l0_flush_stall_threshold", Kind.UNSIGNED),
          Map.entry("gc_horizon", Kind.UNSIGNED),
          Map.entry("gc_period", Kind.DURATION),
          Map.entry("image_creation_threshold", Kind.UNSIGNED),
          Map.entry("image_layer_force_creation_period", Kind.DURATION),
          Map.entry("pitr_interval", Kind.DURATION),
          Map.entry("walreceiver_connect_timeout", Kind.DURATION),
          Map.entry("lagging_wal_timeout", Kind.DURATION),
          Map.entry("max_lsn_wal_lag", Kind.NON_ZERO_UNSIGNED),
          Map.entry("eviction_policy", Kind.OBJECT),
          Map.entry("min_resident_size_override", Kind.UNSIGNED),
          Map.entry("evictions_low_residence_duration_metric_threshold", Kind.DURATION),
          Map.entry("heatmap_period", Kind.DURATION),
          Map.entry("lazy_slru_download", Kind.BOOL),
          Map.entry("timeline_get_throttle", Kind.OBJECT),
          Map.entry("image_layer_creation_check_threshold", Kind.U8),
          Map.entry("image_creation_preempt_threshold", Kind.UNSIGNED),
          Map.entry("lsn_lease_length", Kind.DURATION),
          Map.entry("lsn_lease_length_for_ts", Kind.DURATION),
          Map.entry("timeline_offloading", Kind.BOOL),
          Map.entry("rel_size_v2_enabled", Kind.BOOL),
          Map.entry("gc_compaction_enabled", Kind.BOOL),
          Map.entry("gc_compaction_verification", Kind.BOOL),
          Map.entry("gc_compaction_initial_threshold_kb", Kind.UNSIGNED),
          Map.entry("gc_compaction_ratio_percent", Kind.UNSIGNED),
          Map.entry("sampling_ratio", Kind.OBJECT),
          Map.entry("relsize_snapshot_cache_capacity", Kind.UNSIGNED),
          Map.entry("basebackup_cache_enabled", Kind.BOOL));

  public static final Set<String> NAMES = KINDS.keySet();

  private TenantConfigFields() {}

  /**
   * A 400 unless {@code name} is a TenantConfig field and {@code value} (not null: null removes the
   * field) has the JSON it takes.
   */
  public static void requireValid(String name, JsonNode value) {
    Kind kind = KINDS.get(name);
    if (kind == null) {
      throw Refusal.badRequest("unknown field `" + name + "`");
    }
    boolean valid =
        switch (kind) {
          case DURATION -> value.isString() && isDuration(value.asString());
          case BOOL -> value.isBoolean();
          case UNSIGNED -> unsignedAtLeast(value, 0, Long.MAX_VALUE);
          case U8 -> unsignedAtLeast(value, 0, 255);
          case NON_ZERO_UNSIGNED -> unsignedAtLeast(value, 1, Long.MAX_VALUE);
          case OBJECT -> value.isObject();
        };
    if (!valid) {
      throw Refusal.badRequest(
          "invalid `" + name + "`: expected " + describe(kind) + ", got " + value);
    }
  }

  private static boolean isDuration(String text) {
    try {
      HumanDuration.parse(text);
      return true;
    } catch (IllegalArgumentException e) {
      return false;
    }
  }

  private static boolean unsignedAtLeast(JsonNode value, long min, long max) {
    return value.isIntegralNumber()
        && value.canConvertToLong()
        && value.asLong() >= min
        && value.asLong() <= max;
  }

  private static String describe(Kind kind) {
    return switch (kind) {
      case DURATION -> "a duration such as \"1h\"";
      case BOOL -> "true or false";
      case UNSIGNED -> "a non-negative integer";
      case U8 -> "an integer from 0 to 255";
      case NON_ZERO_UNSIGNED -> "a positive integer";
      case OBJECT -> "an object";
    };
  }
}
