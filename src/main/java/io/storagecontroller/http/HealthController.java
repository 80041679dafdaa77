package io.storagecontroller.http;

import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import io.storagecontroller.leadership.Leadership;
import io.storagecontroller.leadership.LeadershipStatus;
import io.storagecontroller.model.Refusal;
import io.storagecontroller.shard.GenerationRegressions;
import io.storagecontroller.startup.Readiness;
import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.RestController;

/** The unauthenticated probes: {@code /status}, {@code /ready}, {@code /live}, {@code /metrics}. */
@RestController
public class HealthController {
  private static final MediaType PROMETHEUS_TEXT =
      MediaType.parseMediaType("text/plain; version=0.0.4; charset=utf-8");

  private final Readiness readiness;
  private final PrometheusMeterRegistry prometheus;
  private final Leadership leadership;
  private final GenerationRegressions regressions;
  private final LibMetrics lib;

  public HealthController(
      Readiness readiness,
      PrometheusMeterRegistry prometheus,
      Leadership leadership,
      GenerationRegressions regressions,
      LibMetrics lib) {
    this.lib = lib;
    this.readiness = readiness;
    this.prometheus = prometheus;
    this.leadership = leadership;
    this.regressions = regressions;
  }

  @GetMapping("/status")
  @RequestName("status")
  ResponseEntity<String> status() {
    return NullBody.ok();
  }

  @GetMapping("/ready")
  @RequestName("ready")
  ResponseEntity<String> ready() {
    if (readiness.isReady() && regressions.count() > 0) {
      // Serving goes on for the other shards, but whoever watches readiness must hear of this.
      GenerationRegressions.Regression r = regressions.example().orElseThrow();
      throw Refusal.unavailable(
          "generation regression: "
              + regressions.count()
              + " shard(s) hold newer generations on pageservers than in the database (e.g. "
              + r.shard()
              + ": database "
              + (r.stored() == null ? "none" : r.stored().value())
              + ", pageserver "
              + r.reported().value()
              + "); restore the newer database, see the README");
    }
    return NullBody.status(readiness.isReady() ? HttpStatus.OK : HttpStatus.SERVICE_UNAVAILABLE);
  }

  /** Neon's liveness: start-up done and this instance the leader (not stepped down). */
  @GetMapping("/live")
  @RequestName("live")
  ResponseEntity<String> live() {
    boolean live = readiness.isReady() && leadership.status() == LeadershipStatus.LEADER;
    return NullBody.status(live ? HttpStatus.OK : HttpStatus.SERVICE_UNAVAILABLE);
  }

  @GetMapping("/metrics")
  @RequestName("metrics")
  ResponseEntity<String> metrics() {
    lib.served();
    return ResponseEntity.ok().contentType(PROMETHEUS_TEXT).body(prometheus.scrape());
  }
}
