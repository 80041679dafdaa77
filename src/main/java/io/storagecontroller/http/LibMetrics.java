package io.storagecontroller.http;

import com.sun.management.UnixOperatingSystemMXBean;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import io.prometheus.metrics.core.metrics.Counter;
import io.prometheus.metrics.core.metrics.CounterWithCallback;
import io.prometheus.metrics.core.metrics.GaugeWithCallback;
import io.prometheus.metrics.core.metrics.Info;
import io.prometheus.metrics.model.registry.PrometheusRegistry;
import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.lang.management.OperatingSystemMXBean;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.boot.info.BuildProperties;
import org.springframework.boot.info.GitProperties;
import org.springframework.stereotype.Component;

/**
 * The metrics every Neon binary exports from its shared {@code metrics} library, so dashboards and
 * alerts written for Neon's controller find them here: {@code libmetrics_build_info{revision,
 * build_tag}} (the git commit and version this jar was built from), {@code libmetrics_maxrss_kb},
 * {@code libmetrics_disk_io_bytes_total{io_operation}}, the scrape counter {@code
 * libmetrics_serve_count_total}, and on Linux the standard process collector's {@code process_*}
 * families (Micrometer already exports {@code process_start_time_seconds}). Read at scrape time
 * from the JVM and {@code /proc/self}.
 */
@Component
public class LibMetrics {
  private static final Path STATUS = Path.of("/proc/self/status");
  private static final Path IO = Path.of("/proc/self/io");

  private final Counter served;

  public LibMetrics(
      PrometheusMeterRegistry prometheus,
      ObjectProvider<GitProperties> git,
      ObjectProvider<BuildProperties> build) {
    PrometheusRegistry registry = prometheus.getPrometheusRegistry();
    GitProperties commit = git.getIfAvailable();
    BuildProperties version = build.getIfAvailable();
    // An info family: exposed as Neon's gauge libmetrics_build_info{revision,build_tag} 1.
    Info info =
        Info.builder()
            .name("libmetrics_build_info")
            .help("Build/version information")
            .labelNames("revision", "build_tag")
            .register(registry);
    info.addLabelValues(
        commit != null && commit.getCommitId() != null ? commit.getCommitId() : "unknown",
        version != null ? version.getVersion() : "unknown");
    served =
        Counter.builder()
            .name("libmetrics_serve_count")
            .help("Number of metric requests made")
            .withoutExemplars()
            .register(registry);
    OperatingSystemMXBean os = ManagementFactory.getOperatingSystemMXBean();
    if (os instanceof com.sun.management.OperatingSystemMXBean cpu) {
      CounterWithCallback.builder()
          .name("process_cpu_seconds")
          .help("Total user and system CPU time spent in seconds")
          .callback(cb -> cb.call(cpu.getProcessCpuTime() / 1e9))
          .register(registry);
    }
    if (os instanceof UnixOperatingSystemMXBean unix) {
      gauge(
          registry,
          "process_open_fds",
          "Number of open file descriptors",
          unix::getOpenFileDescriptorCount);
      gauge(
          registry,
          "process_max_fds",
          "Maximum number of open file descriptors",
          unix::getMaxFileDescriptorCount);
    }
    if (Files.isReadable(STATUS)) {
      gauge(
          registry,
          "libmetrics_maxrss_kb",
          "Memory usage (Maximum Resident Set Size)",
          () -> status("VmHWM"));
      gauge(
          registry,
          "process_resident_memory_bytes",
          "Resident memory size in bytes",
          () -> 1024 * status("VmRSS"));
      gauge(
          registry,
          "process_virtual_memory_bytes",
          "Virtual memory size in bytes",
          () -> 1024 * status("VmSize"));
      gauge(
          registry,
          "process_threads",
          "Number of OS threads in the process",
          () -> status("Threads"));
    }
    if (Files.isReadable(IO)) {
      CounterWithCallback.builder()
          .name("libmetrics_disk_io_bytes")
          .help("Bytes written and read from disk, grouped by the operation (read|write)")
          .labelNames("io_operation")
          .callback(
              cb -> {
                Map<String, Long> io = fields(IO);
                cb.call(io.getOrDefault("read_bytes", 0L), "read");
                cb.call(io.getOrDefault("write_bytes", 0L), "write");
              })
          .register(registry);
    }
  }

  /** Counts a scrape of {@code /metrics}, as Neon's handler does before it encodes. */
  public void served() {
    served.inc();
  }

  private interface Reading {
    long read();
  }

  private static void gauge(PrometheusRegistry registry, String name, String help, Reading value) {
    GaugeWithCallback.builder()
        .name(name)
        .help(help)
        .callback(cb -> cb.call(value.read()))
        .register(registry);
  }

  /** A {@code /proc/self/status} field's number (kB for the memory ones). */
  private static long status(String field) {
    return fields(STATUS).getOrDefault(field, 0L);
  }

  /** {@code name: value [unit]} lines, as {@code /proc/self/status} and {@code io} have. */
  static Map<String, Long> fields(Path file) {
    Map<String, Long> fields = new HashMap<>();
    try {
      for (String line : Files.readAllLines(file)) {
        int colon = line.indexOf(':');
        if (colon < 0) {
          continue;
        }
        String[] value = line.substring(colon + 1).trim().split("\\s+");
        try {
          fields.put(line.substring(0, colon), Long.parseLong(value[0]));
        } catch (NumberFormatException notANumber) {
          // A text field (Name, State): not read here.
        }
      }
    } catch (IOException e) {
      // Gone or unreadable: the fields read as 0 rather than failing the scrape.
    }
    return fields;
  }
}
