package io.storagecontroller.http;

import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import io.prometheus.metrics.core.metrics.Counter;
import io.prometheus.metrics.core.metrics.Histogram;
import io.prometheus.metrics.model.registry.PrometheusRegistry;
import io.storagecontroller.config.ControllerProperties;
import io.storagecontroller.model.TenantId;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.LongSupplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.http.HttpStatus;
import org.springframework.stereotype.Component;
import org.springframework.web.servlet.HandlerInterceptor;
import org.springframework.web.servlet.HandlerMapping;

/**
 * {@code --tenant-rate-limit}: requests per second per tenant on the tenant-scoped routes (Neon's
 * {@code maybe_rate_limit}, a keyed GCRA limiter with a burst of one second's worth). As in Neon, a
 * request over the rate waits for its turn ({@code storage_controller_http_request_rate_limited}
 * records the wait, and a warning is logged at most every 10 s per tenant). Unlike Neon, the wait
 * is bounded: a request whose turn is more than {@link #MAX_WAIT} away is refused with 429 rather
 * than holding a server thread ({@code storage_controller_http_request_rate_limit_refused}), so a
 * runaway client of one tenant cannot take the threads every other tenant needs.
 */
@Component
public class TenantRateLimit implements HandlerInterceptor {
  private static final Logger log = LoggerFactory.getLogger(TenantRateLimit.class);

  static final Duration MAX_WAIT = Duration.ofSeconds(2);
  private static final long WARN_EVERY_NANOS = Duration.ofSeconds(10).toNanos();

  /**
   * How often tenants whose turns are all in the past are forgotten: without a slot they start
   * afresh, which is the same thing.
   */
  private static final long PURGE_EVERY_NANOS = Duration.ofSeconds(10).toNanos();

  /** A tenant's theoretical arrival time (GCRA) and when its last warning was logged. */
  private static final class Slot {
    long arrival;
    long warnedAt;
    boolean warned;
  }

  private final int perSecond;
  private final long interval;
  private final long burst;
  private final long maxWait;
  private final LongSupplier clock;
  private final Map<TenantId, Slot> slots = new ConcurrentHashMap<>();
  private final Histogram waited;
  private final Counter refused;
  private volatile long lastPurge;

  @Autowired
  public TenantRateLimit(ControllerProperties properties, PrometheusMeterRegistry prometheus) {
    this(
        properties.tenantRateLimit(),
        MAX_WAIT,
        System::nanoTime,
        prometheus.getPrometheusRegistry());
  }

  TenantRateLimit(
      int perSecond, Duration maxWait, LongSupplier clock, PrometheusRegistry registry) {
    if (perSecond < 1) {
      throw new IllegalArgumentException("--tenant-rate-limit must be at least 1");
    }
    this.perSecond = perSecond;
    this.interval = Duration.ofSeconds(1).toNanos() / perSecond;
    this.burst = interval * (perSecond - 1);
    this.maxWait = maxWait.toNanos();
    this.clock = clock;
    this.lastPurge = clock.getAsLong();
    this.waited =
        Histogram.builder()
            .name("storage_controller_http_request_rate_limited")
            .help("Time tenant requests waited for their turn under --tenant-rate-limit (s)")
            .classicOnly()
            .classicUpperBounds(0.1, 1, 10, 100, 1e3, 1e4, 1e5, 1e6, 1e7, 1e8)
            .withoutExemplars()
            .register(registry);
    this.refused =
        Counter.builder()
            .name("storage_controller_http_request_rate_limit_refused")
            .help("Tenant requests refused with 429: their turn was too far away")
            .withoutExemplars()
            .register(registry);
  }

  @Override
  public boolean preHandle(
      HttpServletRequest request, HttpServletResponse response, Object handler) {
    TenantId tenant = tenantOf(request);
    if (tenant != null) {
      admit(tenant);
    }
    return true;
  }

  /** Waits for the tenant's turn, or refuses with 429 when it is more than the bound away. */
  void admit(TenantId tenant) {
    long wait = reserve(tenant);
    if (wait <= 0) {
      return;
    }
    waited.observe(wait / 1e9);
    try {
      Thread.sleep(wait / 1_000_000, (int) (wait % 1_000_000));
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw ApiError.shuttingDown();
    }
  }

  /** Takes the tenant's next turn and returns how long to wait for it (nanoseconds). */
  long reserve(TenantId tenant) {
    long now = clock.getAsLong();
    long[] wait = {0};
    boolean[] tooFar = {false};
    slots.compute(
        tenant,
        (id, slot) -> {
          Slot s = slot == null ? new Slot() : slot;
          long arrival = slot == null ? now : Math.max(s.arrival, now);
          long delay = arrival - burst - now;
          if (delay > maxWait) {
            tooFar[0] = true;
            return s;
          }
          s.arrival = arrival + interval;
          wait[0] = Math.max(0, delay);
          if (wait[0] > 0 && (!s.warned || now - s.warnedAt > WARN_EVERY_NANOS)) {
            s.warned = true;
            s.warnedAt = now;
            log.warn(
                "tenant {} is over --tenant-rate-limit ({} requests/s): requests wait",
                id,
                perSecond);
          }
          return s;
        });
    if (tooFar[0]) {
      refused.inc();
      throw ApiError.withStatus(
          HttpStatus.TOO_MANY_REQUESTS,
          "Too many requests for tenant "
              + tenant
              + ": over --tenant-rate-limit of "
              + perSecond
              + " requests per second; retry later");
    }
    if (now - lastPurge > PURGE_EVERY_NANOS) {
      lastPurge = now;
      slots.values().removeIf(s -> s.arrival < now);
    }
    return wait[0];
  }

  /** Tenants holding a slot (for the memory test: idle ones are forgotten). */
  int tracked() {
    return slots.size();
  }

  @SuppressWarnings("unchecked")
  private static TenantId tenantOf(HttpServletRequest request) {
    Object vars = request.getAttribute(HandlerMapping.URI_TEMPLATE_VARIABLES_ATTRIBUTE);
    if (!(vars instanceof Map<?, ?> map)) {
      return null;
    }
    Object id = map.get("tenant_id");
    if (id == null) {
      id = map.get("tenant_shard_id");
    }
    if (id == null) {
      return null;
    }
    String text = id.toString();
    try {
      return TenantId.parse(text.length() > 32 ? text.substring(0, 32) : text);
    } catch (RuntimeException malformed) {
      // The handler answers 400 for it; the limiter has nothing to key on.
      return null;
    }
  }
}
