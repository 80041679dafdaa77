package io.storagecontroller.tools.bench;

import io.storagecontroller.model.TenantId;
import io.storagecontroller.tools.harness.ControllerChild;
import io.storagecontroller.tools.harness.ControllerHttp;
import io.storagecontroller.tools.simulator.PageserverFleet;
import io.storagecontroller.tools.simulator.SimulatedPageserver;
import io.storagecontroller.tools.simulator.SimulatorOptions;
import java.io.IOException;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.OptionalLong;
import java.util.TreeMap;
import java.util.concurrent.Callable;
import java.util.concurrent.atomic.AtomicLong;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import tools.jackson.databind.SerializationFeature;
import tools.jackson.databind.json.JsonMapper;

/**
 * {@code storage_controller bench steady-state}: a controller on its embedded defaults (embedded
 * PostgreSQL, in-process Temporal) with a small fixed heap, driven with tenant-config changes (each
 * one a reconcile workflow) for a long run. After each window of operations it reads the heap's
 * live set (a full collection through JMX) and the window's rate: a controller that keeps what it
 * no longer needs shows a live set that climbs and a rate that falls.
 */
@Command(
    name = "steady-state",
    mixinStandardHelpOptions = true,
    description =
        "Run workflow-starting operations against a controller on its embedded defaults with a"
            + " small heap, and report its live heap and rate from the first window after warm-up"
            + " to the last.")
public final class SteadyStateBench implements Callable<Integer> {
  private static final Pattern RETAINED =
      Pattern.compile(
          "storage_controller_embedded_temporal_workflows\\{state=\"(\\w+)\"}\\s+([0-9.eE+]+)");

  @Option(names = "--operations", description = "Config changes in all (default 100000).")
  int operations = 100_000;

  @Option(names = "--windows", description = "Windows the run is measured in (default 10).")
  int windows = 10;

  @Option(
      names = "--warmup-windows",
      description = "Leading windows not compared (JIT, retention filling; default 2).")
  int warmupWindows = 2;

  @Option(names = "--tenants", description = "Tenants changed in turn (default 50).")
  int tenants = 50;

  @Option(names = "--clients", description = "Concurrent callers (default 8).")
  int clients = 8;

  @Option(names = "--pageservers", description = "Simulated pageservers (default 3).")
  int pageservers = 3;

  @Option(names = "--controller-heap", description = "The controller's -Xmx (default 192m).")
  String heap = "192m";

  @Option(names = "--work-dir", description = "Where data and logs go (default: a temp dir).")
  Path workDir;

  @Option(names = "--output", description = "The JSON results (default bench-steady-state.json).")
  Path output = Path.of("bench-steady-state.json");

  private long failedCalls;

  /** One window's figures. */
  record Window(int index, long operations, double seconds, double perSecond, long liveHeap) {}

  @Override
  public Integer call() throws IOException {
    if (warmupWindows < 1 || warmupWindows >= windows) {
      throw new IllegalArgumentException("--warmup-windows must be at least 1 and below --windows");
    }
    Path dir = workDir != null ? workDir : Files.createTempDirectory("storage-controller-steady");
    System.out.printf("bench steady-state: work dir %s%n", dir);
    try (ComputeHookReceiver hook = new ComputeHookReceiver();
        ControllerChild controller =
            new ControllerChild(
                dir.resolve("controller.log"),
                heap,
                List.of(
                    "--dev",
                    "--data-dir",
                    dir.resolve("controller").toString(),
                    "--control-plane-url",
                    hook.url()))) {
      controller.start().awaitReady(Bench.DEADLINE);
      ControllerHttp http = new ControllerHttp(controller.url());
      try (PageserverFleet fleet =
          PageserverFleet.start(
              SimulatorOptions.defaults()
                  .withPageservers(pageservers)
                  .withFirstNodeId(1)
                  .withAvailabilityZone(n -> "az-steady")
                  .withController(URI.create(controller.url())))) {
        Bench bench = new Bench(http, fleet, hook, 1, controller::cpuMillis);
        for (SimulatedPageserver ps : fleet.pageservers()) {
          Bench.await(
              () ->
                  "Active".equals(bench.node(ps.nodeId().value()).path("availability").asString()),
              "node " + ps.nodeId() + " active");
        }
        bench.create(tenants, tenants, Math.min(clients, tenants));
        List<Window> measured = run(http, bench.tenants, controller);
        write(measured, retained(http), controller);
      }
    }
    return 0;
  }

  private List<Window> run(ControllerHttp http, List<TenantId> ids, ControllerChild controller) {
    AtomicLong next = new AtomicLong();
    AtomicLong failed = new AtomicLong();
    List<Window> measured = new ArrayList<>();
    long perWindow = operations / windows;
    for (int w = 0; w < windows; w++) {
      long end = (w + 1) * perWindow;
      long start = System.nanoTime();
      Bench.runClients(
          clients,
          () -> {
            long op = next.getAndIncrement();
            if (op >= end) {
              next.decrementAndGet();
              return false;
            }
            TenantId tenant = ids.get((int) (op % ids.size()));
            String body =
                "{\"tenant_id\":\"%s\",\"checkpoint_distance\":%d}"
                    .formatted(tenant, 268_435_456L + op);
            if (http.send("PUT", "/v1/tenant/config", body).status() / 100 != 2) {
              failed.incrementAndGet();
            }
            return true;
          });
      double seconds = (System.nanoTime() - start) / 1e9;
      OptionalLong live = ProcessMemory.liveHeapBytes(controller.jmxPort());
      Window window = new Window(w, perWindow, seconds, perWindow / seconds, live.orElse(-1));
      measured.add(window);
      System.out.printf(
          "bench steady-state: window %d: %.0f ops/s, live heap %.1f MiB, %d failed so far%n",
          w, window.perSecond(), window.liveHeap() / 1048576.0, failed.get());
    }
    failedCalls = failed.get();
    return measured;
  }

  /** The in-process service's holdings, from the controller's own metrics. */
  private static Map<String, Double> retained(ControllerHttp http) {
    Map<String, Double> counts = new TreeMap<>();
    Matcher m = RETAINED.matcher(http.get("/metrics").body());
    while (m.find()) {
      counts.put(m.group(1), Double.parseDouble(m.group(2)));
    }
    return counts;
  }

  private void write(List<Window> measured, Map<String, Double> retained, ControllerChild child)
      throws IOException {
    Window first = measured.get(warmupWindows);
    Window last = measured.get(measured.size() - 1);
    Window warm = measured.get(warmupWindows - 1);
    double heapGrowth = (last.liveHeap() - warm.liveHeap()) / (double) warm.liveHeap();
    double rateChange = (last.perSecond() - first.perSecond()) / first.perSecond();
    Map<String, Object> summary =
        Bench.ordered(
            "operations",
            (long) windows * (operations / windows),
            "failed_calls",
            failedCalls,
            "live_heap_after_warmup_mib",
            warm.liveHeap() / 1048576.0,
            "live_heap_at_end_mib",
            last.liveHeap() / 1048576.0,
            "live_heap_growth",
            heapGrowth,
            "ops_per_s_first_after_warmup",
            first.perSecond(),
            "ops_per_s_last",
            last.perSecond(),
            "ops_per_s_change",
            rateChange,
            "workflows_retained_at_end",
            retained,
            "rss_at_end_mib",
            ProcessMemory.residentBytes(child.pid()).orElse(-1) / 1048576.0);
    Map<String, Object> document =
        Bench.ordered(
            "machine",
            Map.of(
                "cores", Runtime.getRuntime().availableProcessors(),
                "java", System.getProperty("java.version")),
            "parameters",
            Bench.ordered(
                "operations", operations,
                "windows", windows,
                "warmup_windows", warmupWindows,
                "tenants", tenants,
                "clients", clients,
                "pageservers", pageservers,
                "controller_heap", heap,
                "operation", "PUT /v1/tenant/config (one reconcile workflow each)"),
            "summary",
            summary,
            "windows",
            measured);
    JsonMapper json = JsonMapper.builder().enable(SerializationFeature.INDENT_OUTPUT).build();
    Files.writeString(output, json.writeValueAsString(document) + "\n");
    System.out.printf("bench steady-state: %s%nresults written to %s%n", summary, output);
  }
}
