package io.storagecontroller.bench;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/** Latency samples per route, for p50/p99. Thread-safe; a run keeps at most a few 100k samples. */
final class Latencies {
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
