package io.storagecontroller.tools.bench;

import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/** Latency samples per route, for p50/p99. Thread-safe; a run keeps at most a few 100k samples. */
final class Latencies {
  /** p50 and p99, in that order. */
  static final Map<String, Double> MEDIAN_AND_TAIL = quantiles(false);

  /** p50, p99 and the maximum, in that order. */
  static final Map<String, Double> MEDIAN_TAIL_AND_MAX = quantiles(true);

  private final Map<String, List<Long>> samples = new TreeMap<>();
  private final Map<String, Long> errors = new TreeMap<>();

  synchronized void record(String route, long nanos, boolean ok) {
    samples.computeIfAbsent(route, r -> new ArrayList<>()).add(nanos);
    if (!ok) {
      errors.merge(route, 1L, Long::sum);
    }
  }

  synchronized Map<String, List<Long>> byRoute() {
    Map<String, List<Long>> copy = new TreeMap<>();
    samples.forEach((route, list) -> copy.put(route, new ArrayList<>(list)));
    return copy;
  }

  synchronized long errors(String route) {
    return errors.getOrDefault(route, 0L);
  }

  synchronized long count() {
    return samples.values().stream().mapToLong(List::size).sum();
  }

  /**
   * Adds one figure per route and quantile, named {@code <prefix>_<label> <route>}, to the results.
   */
  void addTo(Bench bench, String prefix, Map<String, Double> quantiles) {
    byRoute()
        .forEach(
            (route, nanos) -> {
              Map<String, Object> p =
                  Map.of("route", route, "calls", nanos.size(), "errors", errors(route));
              quantiles.forEach(
                  (label, q) ->
                      bench.add(
                          prefix + "_" + label + " " + route, percentileMillis(nanos, q), "ms", p));
            });
  }

  private static Map<String, Double> quantiles(boolean withMax) {
    Map<String, Double> q = new LinkedHashMap<>();
    q.put("p50", 0.5);
    q.put("p99", 0.99);
    if (withMax) {
      q.put("max", 1.0);
    }
    return Collections.unmodifiableMap(q);
  }

  /** The {@code q} quantile (0..1) in milliseconds. */
  static double percentileMillis(List<Long> nanos, double q) {
    if (nanos.isEmpty()) {
      return 0;
    }
    List<Long> sorted = new ArrayList<>(nanos);
    Collections.sort(sorted);
    int index = (int) Math.min(sorted.size() - 1, Math.ceil(q * sorted.size()) - 1);
    return sorted.get(Math.max(0, index)) / 1e6;
  }
}
