package io.storagecontroller.http;

import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import io.prometheus.metrics.core.metrics.Counter;
import io.prometheus.metrics.core.metrics.Histogram;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.util.Locale;
import org.springframework.beans.factory.BeanFactory;
import org.springframework.stereotype.Component;
import org.springframework.web.method.HandlerMethod;
import org.springframework.web.servlet.HandlerExecutionChain;
import org.springframework.web.servlet.HandlerInterceptor;
import org.springframework.web.servlet.mvc.method.annotation.RequestMappingHandlerMapping;
import org.springframework.web.util.ServletRequestPathUtils;

/**
 * Neon's HTTP metrics, byte for byte: {@code storage_controller_http_request_status_total} (by
 * route name, method, status) and {@code storage_controller_http_request_latency} (seconds, buckets
 * 0.1 to 1.6 s). They are registered with the Prometheus client directly because Micrometer would
 * rename the histogram. Exemplars are off: they need a tracer, and we have none.
 *
 * <p>Not in Neon: {@code storage_controller_http_request_cpu_seconds_total} (by route name and
 * method), the CPU the request's own thread spent from its handler's start to its end. Under load a
 * request's latency is mostly waiting for a core, which the latency histogram cannot tell apart
 * from work; this says which routes do the work (work a request hands to a reconcile or a workflow
 * is not counted here).
 */
@Component
public class HttpMetrics implements HandlerInterceptor {
  private static final String STARTED = HttpMetrics.class.getName() + ".started";
  private static final String STARTED_CPU = HttpMetrics.class.getName() + ".startedCpu";
  private static final ThreadMXBean THREADS = ManagementFactory.getThreadMXBean();

  private final Counter status;
  private final Histogram latency;
  private final Counter cpu;
  private final BeanFactory beans;

  public HttpMetrics(PrometheusMeterRegistry prometheus, BeanFactory beans) {
    this.beans = beans;
    status =
        Counter.builder()
            .name("storage_controller_http_request_status")
            .help("HTTP requests by route name, method and status")
            .labelNames("path", "method", "status")
            .withoutExemplars()
            .register(prometheus.getPrometheusRegistry());
    latency =
        Histogram.builder()
            .name("storage_controller_http_request_latency")
            .help("HTTP request latency in seconds by route name and method")
            .labelNames("path", "method")
            .classicOnly()
            .withoutExemplars()
            .classicUpperBounds(0.1, 0.2, 0.4, 0.8, 1.6)
            .register(prometheus.getPrometheusRegistry());
    cpu =
        Counter.builder()
            .name("storage_controller_http_request_cpu_seconds")
            .help("CPU seconds of the request's thread in its handler, by route name and method")
            .labelNames("path", "method")
            .withoutExemplars()
            .register(prometheus.getPrometheusRegistry());
  }

  @Override
  public boolean preHandle(
      HttpServletRequest request, HttpServletResponse response, Object handler) {
    request.setAttribute(STARTED, System.nanoTime());
    request.setAttribute(STARTED_CPU, THREADS.getCurrentThreadCpuTime());
    return true;
  }

  @Override
  public void afterCompletion(
      HttpServletRequest request, HttpServletResponse response, Object handler, Exception ex) {
    if (!(handler instanceof HandlerMethod method)) {
      return;
    }
    RequestName name = method.getMethodAnnotation(RequestName.class);
    Object started = request.getAttribute(STARTED);
    if (name == null || !(started instanceof Long startNanos)) {
      return;
    }
    String verb = method(request.getMethod());
    status.labelValues(name.value(), verb, Integer.toString(response.getStatus())).inc();
    latency.labelValues(name.value(), verb).observe((System.nanoTime() - startNanos) / 1e9);
    // Every handler here is synchronous: the request ends on the thread it started on.
    if (request.getAttribute(STARTED_CPU) instanceof Long startCpu && startCpu >= 0) {
      long spent = THREADS.getCurrentThreadCpuTime() - startCpu;
      if (spent >= 0) {
        cpu.labelValues(name.value(), verb).inc(spent / 1e9);
      }
    }
  }

  /**
   * Counts a request refused before reaching its handler (auth: 401/403) under its route's name, as
   * Neon's metrics middleware, which runs before its auth, does.
   */
  public void recordRefused(HttpServletRequest request, int refusedWith) {
    HandlerExecutionChain chain;
    try {
      if (!ServletRequestPathUtils.hasParsedRequestPath(request)) {
        ServletRequestPathUtils.parseAndCache(request);
      }
      // Looked up on use: the handler mapping is built after this interceptor.
      chain =
          beans
              .getBean("requestMappingHandlerMapping", RequestMappingHandlerMapping.class)
              .getHandler(request);
    } catch (Exception noRoute) {
      return;
    }
    if (chain != null && chain.getHandler() instanceof HandlerMethod method) {
      RequestName name = method.getMethodAnnotation(RequestName.class);
      if (name != null) {
        String verb = method(request.getMethod());
        status.labelValues(name.value(), verb, Integer.toString(refusedWith)).inc();
        latency.labelValues(name.value(), verb).observe(0);
      }
    }
  }

  private static String method(String method) {
    String m = method.toLowerCase(Locale.ROOT);
    return switch (m) {
      case "get", "put", "post", "delete" -> m;
      default -> "other";
    };
  }
}
