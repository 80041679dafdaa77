package io.storagecontroller.tools.bench;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.ToDoubleFunction;
import jdk.jfr.consumer.RecordedEvent;
import jdk.jfr.consumer.RecordedFrame;
import jdk.jfr.consumer.RecordedStackTrace;
import jdk.jfr.consumer.RecordingFile;

/**
 * A phase of the benchmark as the controller's flight recording saw it: where its CPU went (the
 * methods on top of the sampled stacks, and the controller's own frames nearest the top), what it
 * waited for on locks, what it allocated and how often it collected. Read from a recording taken
 * with JFR's {@code profile} settings; printed as Markdown for {@code docs/bench/}.
 */
final class JfrProfile {
  private static final String OWN = "io.storagecontroller.";
  private static final int TOP = 15;
  private static final String OUTSIDE = "(outside the controller's code)";

  private final String phase;
  private final Duration length;
  private int samples;
  private double cpuSum;
  private int cpuReadings;
  private final Map<String, Double> selfTop = new HashMap<>();
  private final Map<String, Double> byComponent = new HashMap<>();
  private final Map<String, Double> byThread = new HashMap<>();
  private final Map<String, Double> ownFrames = new HashMap<>();
  private final Map<String, Double> monitorWaits = new HashMap<>();
  private final Map<String, Double> parks = new HashMap<>();
  private final Map<String, Double> allocatedByClass = new HashMap<>();
  private final Map<String, Double> allocatedByOwnFrame = new HashMap<>();
  private double allocated;
  private int collections;
  private Duration pauses = Duration.ZERO;
  private Duration longestPause = Duration.ZERO;

  private JfrProfile(String phase, Duration length) {
    this.phase = phase;
    this.length = length;
  }

  /** The events of {@code recording} between {@code from} and {@code to}. */
  static JfrProfile read(Path recording, String phase, Instant from, Instant to) {
    JfrProfile profile = new JfrProfile(phase, Duration.between(from, to));
    try (RecordingFile file = new RecordingFile(recording)) {
      while (file.hasMoreEvents()) {
        RecordedEvent event = file.readEvent();
        if (!event.getStartTime().isBefore(from) && event.getStartTime().isBefore(to)) {
          profile.add(event);
        }
      }
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return profile;
  }

  private void add(RecordedEvent event) {
    switch (event.getEventType().getName()) {
      case "jdk.ExecutionSample" -> {
        samples++;
        count(selfTop, top(event.getStackTrace()), 1);
        count(byComponent, component(event.getStackTrace()), 1);
        count(byThread, threadGroup(event.getThread("sampledThread")), 1);
        count(ownFrames, own(event.getStackTrace()), 1);
      }
      case "jdk.CPULoad" -> {
        cpuSum += event.getFloat("jvmUser") + event.getFloat("jvmSystem");
        cpuReadings++;
      }
      case "jdk.JavaMonitorEnter" ->
          count(
              monitorWaits,
              className(event, "monitorClass") + " at " + own(event.getStackTrace()),
              event.getDuration().toNanos() / 1e6);
      case "jdk.ThreadPark" -> {
        // Idle pool threads park outside the controller's code: only waits it asked for count.
        String own = own(event.getStackTrace());
        if (!own.equals(OUTSIDE)) {
          count(
              parks,
              className(event, "parkedClass") + " at " + own,
              event.getDuration().toNanos() / 1e6);
        }
      }
      case "jdk.ObjectAllocationSample" -> {
        double weight = event.getLong("weight");
        allocated += weight;
        count(allocatedByClass, className(event, "objectClass"), weight);
        count(allocatedByOwnFrame, own(event.getStackTrace()), weight);
      }
      case "jdk.GarbageCollection" -> {
        collections++;
        Duration pause = event.getDuration("sumOfPauses");
        pauses = pauses.plus(pause);
        if (pause.compareTo(longestPause) > 0) {
          longestPause = pause;
        }
      }
      default -> {}
    }
  }

  /** The unit of each of {@link #figures}. */
  static String unit(String figure) {
    return switch (figure) {
      case "cpu_jvm_percent" -> "%";
      case "allocation_mib_per_s" -> "MiB/s";
      case "gc_collections" -> "count";
      default -> "ms";
    };
  }

  /** Figures for the results file: CPU, allocation rate, collections. */
  Map<String, Double> figures() {
    double seconds = Math.max(length.toMillis() / 1000.0, 0.001);
    return Map.of(
        "cpu_jvm_percent", cpuReadings == 0 ? 0 : 100 * cpuSum / cpuReadings,
        "allocation_mib_per_s", allocated / 1048576 / seconds,
        "gc_collections", (double) collections,
        "gc_pause_ms", (double) pauses.toMillis(),
        "gc_longest_pause_ms", (double) longestPause.toMillis());
  }

  String markdown() {
    StringBuilder md = new StringBuilder();
    Map<String, Double> f = figures();
    md.append("## ").append(phase).append(" (").append(length.toSeconds()).append(" s)\n\n");
    md.append(
        "CPU (JVM, share of the machine) %.0f%%; %d execution samples; allocation %.0f MiB/s; %d collections, %d ms paused in all, longest %d ms.\n\n"
            .formatted(
                f.get("cpu_jvm_percent"),
                samples,
                f.get("allocation_mib_per_s"),
                collections,
                pauses.toMillis(),
                longestPause.toMillis()));
    table(md, "CPU samples by thread (name without its number)", byThread, "samples", samples);
    table(
        md, "CPU samples by component (package of the top frame)", byComponent, "samples", samples);
    table(md, "Top frames (self samples)", selfTop, "samples", samples);
    table(md, "The controller's frame nearest the top (samples)", ownFrames, "samples", samples);
    table(md, "Monitor contention (ms blocked, by monitor and own frame)", monitorWaits, "ms", 0);
    table(md, "Parked in the controller's code (ms, by blocker and own frame)", parks, "ms", 0);
    table(md, "Allocated (by class)", mib(allocatedByClass), "MiB", allocated / 1048576);
    table(md, "Allocated (by own frame)", mib(allocatedByOwnFrame), "MiB", allocated / 1048576);
    return md.toString();
  }

  private static Map<String, Double> mib(Map<String, Double> bytes) {
    Map<String, Double> mib = new HashMap<>();
    bytes.forEach((k, v) -> mib.put(k, v / 1048576));
    return mib;
  }

  private static void table(
      StringBuilder md, String title, Map<String, Double> values, String unit, double total) {
    md.append("### ").append(title).append("\n\n| ").append(unit);
    md.append(total > 0 ? " | % |" : " |").append(" where |\n|---:|");
    md.append(total > 0 ? "---:|" : "").append("---|\n");
    List<Map.Entry<String, Double>> rows = new ArrayList<>(values.entrySet());
    rows.sort(Map.Entry.comparingByValue(Comparator.reverseOrder()));
    ToDoubleFunction<Double> share = v -> total > 0 ? 100 * v / total : 0;
    for (Map.Entry<String, Double> row : rows.subList(0, Math.min(TOP, rows.size()))) {
      md.append("| %.0f |".formatted(row.getValue()));
      if (total > 0) {
        md.append(" %.1f |".formatted(share.applyAsDouble(row.getValue())));
      }
      md.append(" `").append(row.getKey()).append("` |\n");
    }
    md.append('\n');
  }

  private static void count(Map<String, Double> counts, String key, double amount) {
    counts.merge(key, amount, Double::sum);
  }

  private static String className(RecordedEvent event, String field) {
    jdk.jfr.consumer.RecordedClass type = event.getClass(field);
    return type == null ? "?" : type.getName();
  }

  private static String top(RecordedStackTrace stack) {
    if (stack == null || stack.getFrames().isEmpty()) {
      return "?";
    }
    return frame(stack.getFrames().get(0));
  }

  /** The controller's frame nearest the top: whose code asked for the work. */
  private static String own(RecordedStackTrace stack) {
    if (stack == null) {
      return "?";
    }
    for (RecordedFrame frame : stack.getFrames()) {
      if (frame.getMethod().getType().getName().startsWith(OWN)) {
        return frame(frame);
      }
    }
    return OUTSIDE;
  }

  /** The library (or part of the JDK) the sampled thread was in: the top frame's package, cut. */
  private static String component(RecordedStackTrace stack) {
    if (stack == null || stack.getFrames().isEmpty()) {
      return "?";
    }
    String type = stack.getFrames().get(0).getMethod().getType().getName();
    String[] parts = type.split("\\.");
    int keep =
        type.startsWith("java.") || type.startsWith("jdk.") || type.startsWith("sun.") ? 3 : 2;
    if (type.startsWith(OWN)) {
      keep = 3;
    }
    return String.join(".", java.util.Arrays.copyOf(parts, Math.min(keep, parts.length - 1)));
  }

  /** A thread's name without its number: a pool's threads together. */
  private static String threadGroup(jdk.jfr.consumer.RecordedThread thread) {
    if (thread == null || thread.getJavaName() == null) {
      return "?";
    }
    return thread.getJavaName().replaceAll("\\d+", "N");
  }

  private static String frame(RecordedFrame frame) {
    String type = frame.getMethod().getType().getName();
    return type.substring(type.lastIndexOf('.') + 1) + "." + frame.getMethod().getName();
  }
}
