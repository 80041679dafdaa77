package io.storagecontroller.pageserver;

import io.prometheus.metrics.core.metrics.Counter;
import io.prometheus.metrics.core.metrics.Histogram;
import io.prometheus.metrics.model.registry.PrometheusRegistry;

/**
 * Neon's {@code storage_controller_pageserver_request_error_total} and {@code ..._latency} (by
 * pageserver id, call name and method), and beyond Neon the calls refused by TLS. One instance per
 * registry, shared by every client.
 */
public final class PageserverRequestMetrics {
  private final Counter errors;
  private final Histogram latency;
  private final Counter tlsFailures;

  private PageserverRequestMetrics(Counter errors, Histogram latency, Counter tlsFailures) {
    this.errors = errors;
    this.latency = latency;
    this.tlsFailures = tlsFailures;
  }

  public static PageserverRequestMetrics register(PrometheusRegistry registry) {
    return new PageserverRequestMetrics(
        Counter.builder()
            .name("storage_controller_pageserver_request_error")
            .help("Failed pageserver requests")
            .labelNames("pageserver_id", "path", "method")
            .withoutExemplars()
            .register(registry),
        Histogram.builder()
            .name("storage_controller_pageserver_request_latency")
            .help("Pageserver request latency in seconds")
            .labelNames("pageserver_id", "path", "method")
            .classicOnly()
            .classicUpperBounds(0.1, 0.2, 0.4, 0.8, 1.6)
            .withoutExemplars()
            .register(registry),
        Counter.builder()
            .name("storage_controller_pageserver_tls_failures")
            .help("Pageserver calls refused by TLS: an untrusted certificate, or no TLS at all")
            .labelNames("pageserver_id")
            .withoutExemplars()
            .register(registry));
  }

  /** For tools and tests that run a client without a metrics registry. */
  public static PageserverRequestMetrics unregistered() {
    return register(new PrometheusRegistry());
  }

  void tlsFailure(String node) {
    tlsFailures.labelValues(node).inc();
  }

  void observe(String node, String call, String method, double seconds, boolean failed) {
    latency.labelValues(node, call, method).observe(seconds);
    if (failed) {
      errors.labelValues(node, call, method).inc();
    }
  }
}
