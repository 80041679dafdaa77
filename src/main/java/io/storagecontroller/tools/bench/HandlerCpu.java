package io.storagecontroller.tools.bench;

import io.storagecontroller.tools.harness.ControllerHttp;
import java.util.Map;
import java.util.TreeMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The CPU the controller's request threads spent per route, from its own metrics ({@code
 * storage_controller_http_request_cpu_seconds_total} and the calls in {@code
 * storage_controller_http_request_status_total}): read before and after a phase, the difference
 * says which routes did the work on the request threads, apart from the time calls waited for a
 * core.
 */
final class HandlerCpu {
  private static final Pattern CPU =
      Pattern.compile(
          "storage_controller_http_request_cpu_seconds_total\\{method=\"(\\w+)\",path=\"(\\w+)\"\\}"
              + " (\\S+)");
  private static final Pattern CALLS =
      Pattern.compile(
          "storage_controller_http_request_status_total\\{method=\"(\\w+)\",path=\"(\\w+)\","
              + "status=\"\\d+\"\\} (\\S+)");

  /** Per route ({@code "get control_v1_node"}): CPU seconds and calls so far. */
  record Totals(Map<String, Double> cpuSeconds, Map<String, Double> calls) {}

  private HandlerCpu() {}

  static Totals read(ControllerHttp http) {
    String metrics = http.get("/metrics").body();
    return new Totals(sum(CPU.matcher(metrics)), sum(CALLS.matcher(metrics)));
  }

  /** Adds {@code <prefix>_handler_cpu_ms <route>} per route with at least 20 calls in between. */
  static void report(Bench bench, String prefix, Totals before, Totals after) {
    after
        .cpuSeconds()
        .forEach(
            (route, cpu) -> {
              double calls =
                  after.calls().getOrDefault(route, 0.0) - before.calls().getOrDefault(route, 0.0);
              if (calls >= 20) {
                double spent = cpu - before.cpuSeconds().getOrDefault(route, 0.0);
                bench.add(
                    prefix + "_handler_cpu_ms " + route,
                    spent * 1000 / calls,
                    "ms",
                    Map.of("calls", (long) calls, "cpu_s", spent));
              }
            });
  }

  private static Map<String, Double> sum(Matcher m) {
    Map<String, Double> totals = new TreeMap<>();
    while (m.find()) {
      totals.merge(m.group(1) + " " + m.group(2), Double.parseDouble(m.group(3)), Double::sum);
    }
    return totals;
  }
}
