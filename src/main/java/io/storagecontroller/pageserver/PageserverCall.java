package io.storagecontroller.pageserver;

import java.time.Duration;

/**
 * How one kind of pageserver request is made: its name (the metrics {@code path} label, as in
 * Neon), the per-attempt timeout and how many attempts. Values follow Neon's (neon-behaviour.md
 * appendix A).
 */
public record PageserverCall(String name, Duration timeout, int attempts) {
  static final Duration DEFAULT_TIMEOUT = Duration.ofSeconds(30);

  public static final PageserverCall LOCATION_CONFIG =
      new PageserverCall("location_config", Duration.ofSeconds(25), 3);
  public static final PageserverCall LOCATION_CONFIGS =
      new PageserverCall("location_configs", Duration.ofSeconds(5), 5);
  public static final PageserverCall UTILIZATION =
      new PageserverCall("utilization", Duration.ofSeconds(1), 3);
  public static final PageserverCall TENANT_DELETE =
      new PageserverCall("tenant", Duration.ofSeconds(30), 3);
  public static final PageserverCall TENANT = new PageserverCall("tenant", DEFAULT_TIMEOUT, 3);
  public static final PageserverCall TIMELINE = new PageserverCall("timeline", DEFAULT_TIMEOUT, 3);

  /** GET of one timeline: Neon names it apart from the create and delete ({@code timeline}). */
  public static final PageserverCall TIMELINE_DETAIL =
      new PageserverCall("timeline_detail", DEFAULT_TIMEOUT, 3);

  public static final PageserverCall TIMELINES =
      new PageserverCall("timelines", DEFAULT_TIMEOUT, 3);
  public static final PageserverCall SHARD_SPLIT =
      new PageserverCall("tenant_shard_split", Duration.ofMinutes(10), 1);
  public static final PageserverCall SECONDARY_DOWNLOAD =
      new PageserverCall("tenant_secondary_download", Duration.ofSeconds(20), 3);
  public static final PageserverCall SECONDARY_STATUS =
      new PageserverCall("tenant_secondary_status", Duration.ofSeconds(5), 3);
  public static final PageserverCall HEATMAP_UPLOAD =
      new PageserverCall("tenant_heatmap_upload", Duration.ofSeconds(10), 3);
  public static final PageserverCall TIME_TRAVEL =
      new PageserverCall("tenant_time_travel_remote_storage", Duration.ofSeconds(60), 3);
  public static final PageserverCall WAIT_LSN =
      new PageserverCall("wait_lsn", Duration.ofSeconds(15), 1);

  /** Neon's auto-split asks with 5 s timeouts, 3 attempts. */
  public static final PageserverCall TOP_TENANTS =
      new PageserverCall("top_tenants", Duration.ofSeconds(5), 3);

  /** Neon's debug import lists what remote storage holds of a tenant. */
  public static final PageserverCall TENANT_SCAN_REMOTE_STORAGE =
      new PageserverCall("tenant_scan_remote_storage", DEFAULT_TIMEOUT, 3);

  public static final PageserverCall STATUS =
      new PageserverCall("status", Duration.ofSeconds(5), 1);

  /**
   * A per-timeline action the controller forwards to every shard ({@code archival_config}, {@code
   * block_gc}, ...), named in metrics as Neon's client names it: {@code timeline_<action>} but for
   * the few Neon names otherwise (block and unblock share one name, the lease and the heatmap
   * download are named after Neon's client methods); {@code detach_ancestor} may take minutes on a
   * pageserver and is not repeated.
   */
  public static PageserverCall timelineAction(String action) {
    return switch (action) {
      case "detach_ancestor" ->
          new PageserverCall("timeline_detach_ancestor", Duration.ofMinutes(5), 1);
      case "block_gc", "unblock_gc" ->
          new PageserverCall("timeline_block_unblock_gc", DEFAULT_TIMEOUT, 3);
      case "lsn_lease" -> new PageserverCall("timeline_lease_lsn", DEFAULT_TIMEOUT, 3);
      case "download_heatmap_layers" ->
          new PageserverCall("download_heatmap_layers", DEFAULT_TIMEOUT, 3);
      default -> new PageserverCall("timeline_" + action, DEFAULT_TIMEOUT, 3);
    };
  }

  public PageserverCall withTimeout(Duration newTimeout) {
    return new PageserverCall(name, newTimeout, attempts);
  }
}
