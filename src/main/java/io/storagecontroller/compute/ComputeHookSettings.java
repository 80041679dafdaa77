package io.storagecontroller.compute;

import java.net.URI;
import java.time.Duration;

/**
 * How the compute hook reaches the control plane and how hard it tries. {@link #neon} gives Neon's
 * numbers; tests shrink the waits so a failing hook costs milliseconds, not minutes.
 *
 * @param notifyAttachUrl where notify-attach bodies are PUT; null means dev mode (log only)
 * @param bearerToken the control-plane JWT, or null when none is configured
 * @param requestTimeout per HTTP call (Neon: 10 s)
 * @param maxAttempts HTTP calls per notification before giving up (Neon: 10)
 * @param firstBackoff wait before the second attempt
 * @param backoffFactor growth of the wait per further attempt
 * @param maxBackoff cap of one wait
 * @param slowDownWait wait after a 429 (Neon: 5 s)
 * @param budget bound on one whole notification, lock and semaphore waits and retries included, so
 *     a caller (a Temporal activity with its own timeout) always gets an answer in time
 * @param concurrency notifications in flight across all tenants (Neon: 32)
 */
public record ComputeHookSettings(
    URI notifyAttachUrl,
    String bearerToken,
    Duration requestTimeout,
    int maxAttempts,
    Duration firstBackoff,
    double backoffFactor,
    Duration maxBackoff,
    Duration slowDownWait,
    Duration budget,
    int concurrency) {

  /** Neon's API_CONCURRENCY. */
  public static final int NEON_CONCURRENCY = 32;

  /**
   * Within the reconcile activity's 100 s start-to-close timeout, with room to record the outcome:
   * Neon's 10 attempts x 10 s against a hanging control plane would not fit.
   */
  public static final Duration DEFAULT_BUDGET = Duration.ofSeconds(60);

  public ComputeHookSettings {
    if (maxAttempts < 1 || concurrency < 1) {
      throw new IllegalArgumentException("maxAttempts and concurrency must be at least 1");
    }
    if (backoffFactor < 1) {
      throw new IllegalArgumentException("backoffFactor must be at least 1");
    }
    bearerToken = bearerToken == null || bearerToken.isBlank() ? null : bearerToken;
  }

  /**
   * Neon's settings for a {@code --control-plane-url} (null or blank: dev mode). Backoff is Neon's
   * {@code min(1.1^n, 3)} seconds.
   */
  public static ComputeHookSettings neon(String controlPlaneUrl, String bearerToken) {
    return new ComputeHookSettings(
        notifyAttachUrl(controlPlaneUrl),
        bearerToken,
        Duration.ofSeconds(10),
        10,
        Duration.ofMillis(1100),
        1.1,
        Duration.ofSeconds(3),
        Duration.ofSeconds(5),
        DEFAULT_BUDGET,
        NEON_CONCURRENCY);
  }

  /** These settings with other bounds on one call, the attempts and a whole notification. */
  public ComputeHookSettings withLimits(Duration requestTimeout, int maxAttempts, Duration budget) {
    return new ComputeHookSettings(
        notifyAttachUrl,
        bearerToken,
        requestTimeout,
        maxAttempts,
        firstBackoff,
        backoffFactor,
        maxBackoff,
        slowDownWait,
        budget,
        concurrency);
  }

  public boolean devMode() {
    return notifyAttachUrl == null;
  }

  /** The wait before attempt {@code attempt + 1}, after {@code attempt} failed (1-based). */
  Duration backoff(int attempt) {
    double millis = firstBackoff.toMillis() * Math.pow(backoffFactor, attempt - 1);
    return Duration.ofMillis((long) Math.min(millis, maxBackoff.toMillis()));
  }

  /**
   * {@code {url without trailing '/'}/notify-attach}. The flag's old name {@code
   * --compute-hook-url} took the full hook URL, so a URL already ending in {@code /notify-attach}
   * is used as it is rather than getting the suffix twice.
   */
  static URI notifyAttachUrl(String controlPlaneUrl) {
    if (controlPlaneUrl == null || controlPlaneUrl.isBlank()) {
      return null;
    }
    String base = controlPlaneUrl.strip();
    while (base.endsWith("/")) {
      base = base.substring(0, base.length() - 1);
    }
    return URI.create(base.endsWith("/notify-attach") ? base : base + "/notify-attach");
  }

  /** The control-plane token never appears in logs or dumps. */
  @Override
  public String toString() {
    return "ComputeHookSettings[notifyAttachUrl="
        + notifyAttachUrl
        + ", bearerToken="
        + (bearerToken == null ? "unset" : "<set>")
        + ", requestTimeout="
        + requestTimeout
        + ", maxAttempts="
        + maxAttempts
        + ", budget="
        + budget
        + ", concurrency="
        + concurrency
        + "]";
  }
}
