package io.storagecontroller.migration;

import io.storagecontroller.pageserver.PageserverJson;
import java.time.Duration;

/**
 * An operator's migration as stored on its operations row, so a retry can run it again. Warm-up
 * bounds default to Neon's for a user migration: 300 s in total, 20 s per request.
 */
public record MigrationParameters(
    long destination, boolean prewarm, long warmupTimeoutMs, long warmupRequestTimeoutMs) {
  public static final Duration DEFAULT_WARMUP = Duration.ofSeconds(300);
  public static final Duration DEFAULT_WARMUP_REQUEST = Duration.ofSeconds(20);

  public Duration warmupTimeout() {
    return Duration.ofMillis(warmupTimeoutMs);
  }

  public Duration warmupRequestTimeout() {
    return Duration.ofMillis(warmupRequestTimeoutMs);
  }

  public String toJson() {
    return PageserverJson.mapper().writeValueAsString(this);
  }

  public static MigrationParameters fromJson(String json) {
    return PageserverJson.mapper().readValue(json, MigrationParameters.class);
  }
}
