package io.storagecontroller.compute;

import io.prometheus.metrics.core.metrics.Counter;
import io.prometheus.metrics.core.metrics.Histogram;
import io.prometheus.metrics.model.registry.PrometheusRegistry;

/**
 * {@code storage_controller_compute_hook_requests_total{status}} (one per HTTP call, retries
 * included; status is the HTTP code, or {@code timeout} / {@code error} when no answer came) and
 * {@code storage_controller_compute_hook_request_latency} in seconds. Neon has no such metrics; the
 * names follow its conventions. Registered on the Prometheus client directly, like the HTTP
 * metrics, so Micrometer does not rename them; exemplars are off because there is no tracer.
 */
public final class ComputeHookMetrics {
  private final Counter requests;
  private final Histogram latency;

  private ComputeHookMetrics(Counter requests, Histogram latency) {
    this.requests = requests;
    this.latency = latency;
  }

  public static ComputeHookMetrics register(PrometheusRegistry registry) {
    return new ComputeHookMetrics(
        Counter.builder()
            .name("storage_controller_compute_hook_requests")
            .help("Compute hook (notify-attach) HTTP calls by outcome")
            .labelNames("status")
            .withoutExemplars()
            .register(registry),
        Histogram.builder()
            .name("storage_controller_compute_hook_request_latency")
            .help("Compute hook (notify-attach) call latency in seconds")
            .classicOnly()
            // Up to the 10 s call timeout: a control plane that reconfigures computes is slow.
            .classicUpperBounds(0.1, 0.2, 0.4, 0.8, 1.6, 3.2, 6.4, 10)
            .withoutExemplars()
            .register(registry));
  }

  /** For tests that build a hook without the application's registry. */
  public static ComputeHookMetrics unregistered() {
    return register(new PrometheusRegistry());
  }

  void observe(String status, double seconds) {
    requests.labelValues(status).inc();
    latency.observe(seconds);
  }

  /** Calls so far with this status label (for tests). */
  double requests(String status) {
    return requests.labelValues(status).get();
  }
}
