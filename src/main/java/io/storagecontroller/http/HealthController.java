package io.storagecontroller.http;

import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import io.storagecontroller.startup.Readiness;
import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.RestController;

/**
 * The unauthenticated probes: {@code /status}, {@code /ready}, {@code /live}, {@code /metrics}.
 */
@RestController
public class HealthController {
  private static final MediaType PROMETHEUS_TEXT =
      MediaType.parseMediaType("text/plain; version=0.0.4; charset=utf-8");

  private final Readiness readiness;
  private final PrometheusMeterRegistry prometheus;

  public HealthController(Readiness readiness, PrometheusMeterRegistry prometheus) {
    this.readiness = readiness;
    this.prometheus = prometheus;
  }

  @GetMapping("/status")
  @RequestName("status")
  ResponseEntity<String> status() {
    return NullBody.ok();
  }

  @GetMapping("/ready")
  @RequestName("ready")
  ResponseEntity<String> ready() {
    return NullBody.status(readiness.isReady() ? HttpStatus.OK : HttpStatus.SERVICE_UNAVAILABLE);
  }

  /**
   * Neon's liveness: start-up done and this instance the leader. One controller runs per database
   * and it holds the leader lock from before start-up, so that is readiness.
   */
  @GetMapping("/live")
  @RequestName("live")
  ResponseEntity<String> live() {
    return ready();
  }

  @GetMapping("/metrics")
  @RequestName("metrics")
  ResponseEntity<String> metrics() {
    return ResponseEntity.ok().contentType(PROMETHEUS_TEXT).body(prometheus.scrape());
  }
}
