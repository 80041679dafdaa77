package io.storagecontroller.tools.bench;

import io.storagecontroller.cli.HumanDurationConverter;
import io.storagecontroller.persistence.EmbeddedDatabase;
import io.storagecontroller.tools.harness.ControllerChild;
import io.storagecontroller.tools.harness.ControllerHttp;
import io.storagecontroller.tools.simulator.PageserverFleet;
import io.storagecontroller.tools.simulator.SimulatedPageserver;
import io.storagecontroller.tools.simulator.SimulatorOptions;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.OptionalLong;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import tools.jackson.databind.SerializationFeature;
import tools.jackson.databind.json.JsonMapper;

/**
 * {@code storage_controller bench}: starts a PostgreSQL, the controller as its own process and a
 * simulated fleet, runs the phases of issue #10 against them, prints a table and writes {@code
 * bench-results.json}. Not part of the test run.
 */
@Command(
    name = "bench",
    mixinStandardHelpOptions = true,
    subcommands = SteadyStateBench.class,
    description =
        "Measure the controller: creation rate, mixed API load, memory, idle reconcile, restart,"
            + " node failure (through Temporal and directly), drain and fill, balance, generation"
            + " issuance against the database ceiling.")
public final class BenchCommand implements Callable<Integer> {
  @Option(names = "--pageservers", description = "Simulated pageservers (default 10).")
  int pageservers = 10;

  @Option(names = "--tenants", description = "Tenants to create (default 10000).")
  int tenants = 10_000;

  @Option(
      names = "--shards",
      description = "Total shards; tenants have 1 or 8 shards to reach it (default 20000).")
  int shards = 20_000;

  @Option(names = "--clients", description = "Concurrent creators (default 16).")
  int clients = 16;

  @Option(names = "--mixed-clients", description = "Concurrent mixed-load callers (default 135).")
  int mixedClients = 135;

  @Option(
      names = "--mixed-ops",
      description = "Operations in the mixed load (default 540, as Neon's scale test).")
  int mixedOps = 540;

  @Option(
      names = "--load-clients",
      description = "Concurrent callers of the sustained load (default 200).")
  int loadClients = 200;

  @Option(
      names = "--load-duration",
      converter = HumanDurationConverter.class,
      description = "How long the sustained load runs (default 60s; 0s skips it).")
  Duration loadDuration = Duration.ofSeconds(60);

  @Option(names = "--controller-heap", description = "The controller's -Xmx (default 4g).")
  String heap = "4g";

  @Option(
      names = "--restarts",
      description =
          "How many times the restart phase restarts the controller (default 1); restart_to_ready"
              + " is the median, every restart's time in its parameters.")
  int restarts = 1;

  @Option(names = "--work-dir", description = "Where databases and logs go (default: a temp dir).")
  Path workDir;

  @Option(names = "--output", description = "The JSON results (default bench-results.json).")
  Path output = Path.of("bench-results.json");

  @Option(names = "--seed", description = "Seed of the mixed load's choices (default 1).")
  long seed = 1;

  @Option(
      names = "--profile",
      description =
          "Record the controller with JFR (profile settings) and write a Markdown summary of the"
              + " create, mixed and sustained-load phases here (top frames, lock contention,"
              + " allocation, GC); the recording is kept in the work dir as controller.jfr.")
  Path profile;

  /** How long the memory phase waits for the RSS to stop falling after its collection. */
  private static final Duration SETTLING = Duration.ofSeconds(15);

  /** The phases {@code --phases} can name, in the order they run. */
  static final List<String> PHASES =
      List.of(
          "create",
          "mixed",
          "memory",
          "idle-reconcile-all",
          "sustained-load",
          "profile",
          "restart",
          "node-failure",
          "drain-and-fill",
          "balance",
          "optimiser-balance",
          "generations",
          "handover");

  @Option(
      names = "--phases",
      split = ",",
      description =
          "Run only these phases (comma-separated; default all): create (always runs: the others"
              + " need its tenants), mixed, memory, idle-reconcile-all, sustained-load, profile,"
              + " restart, node-failure, drain-and-fill, balance, optimiser-balance, generations,"
              + " handover.")
  List<String> phases = PHASES;

  /** When each phase ran, for the profile. */
  private final Map<String, Instant[]> windows = new LinkedHashMap<>();

  @Override
  public Integer call() throws IOException {
    if (restarts < 1) {
      System.err.println("bench: --restarts must be at least 1");
      return 2;
    }
    List<String> unknown = phases.stream().filter(p -> !PHASES.contains(p)).toList();
    if (!unknown.isEmpty()) {
      System.err.printf("bench: unknown phases %s; known: %s%n", unknown, String.join(",", PHASES));
      return 2;
    }
    Path dir = workDir != null ? workDir : Files.createTempDirectory("storage-controller-bench");
    System.out.printf("bench: work dir %s%n", dir);
    try (EmbeddedDatabase database = EmbeddedDatabase.start(dir.resolve("postgres"));
        ComputeHookReceiver hook = new ComputeHookReceiver()) {
      List<String> args =
          List.of(
              "--dev",
              "--data-dir",
              dir.resolve("controller").toString(),
              "--database-url",
              database.databaseUrl(),
              "--control-plane-url",
              hook.url(),
              "--heartbeat-interval",
              "1s",
              "--max-offline-interval",
              "5s");
      try (ControllerChild controller =
              new ControllerChild(dir.resolve("controller.log"), heap, args).withPeerAddress();
          ControllerChild candidate =
              controller
                  .sibling(dir.resolve("candidate.log"), dir.resolve("candidate"))
                  .asCandidate(true)) {
        if (profile != null) {
          controller.withFlightRecording();
        }
        controller.start().awaitReady(Bench.DEADLINE);
        ControllerHttp http = new ControllerHttp(controller.url());
        try (PageserverFleet fleet =
            PageserverFleet.start(
                SimulatorOptions.defaults()
                    .withPageservers(pageservers)
                    .withFirstNodeId(1)
                    .withAvailabilityZone(n -> "az-bench")
                    .withController(URI.create(controller.url())))) {
          Bench bench = new Bench(http, fleet, hook, seed, controller::cpuMillis);
          for (SimulatedPageserver ps : fleet.pageservers()) {
            Bench.await(
                () ->
                    "Active"
                        .equals(bench.node(ps.nodeId().value()).path("availability").asString()),
                "node " + ps.nodeId() + " active");
          }
          run(bench, controller, database, dir);
          phase("handover", () -> new HandoverBench(bench, controller).run(candidate));
          print(bench.results);
          write(bench.results);
        }
      }
    }
    return 0;
  }

  private void run(Bench bench, ControllerChild controller, EmbeddedDatabase database, Path dir) {
    bench.pauseOptimiser();
    phase("create", () -> bench.create(tenants, shards, clients));
    phase("mixed", () -> bench.mixed(mixedClients, mixedOps));
    phase(
        "memory",
        () -> {
          bench.awaitIdle();
          long shardCount = Placements.read(bench.http).attachedByShard().size();
          OptionalLong heapBytes = ProcessMemory.liveHeapBytes(controller.jmxPort());
          OptionalLong rssAfterGc = ProcessMemory.residentBytes(controller.pid());
          OptionalLong rss = ProcessMemory.settledResidentBytes(controller.pid(), SETTLING);
          Map<String, Object> p = Map.of("shards", shardCount);
          heapBytes.ifPresent(
              b -> bench.add("heap_live_per_shard", b / (double) shardCount, "bytes", p));
          rss.ifPresent(b -> bench.add("rss_per_shard", b / (double) shardCount, "bytes", p));
          rssAfterGc.ifPresent(
              b -> bench.add("rss_right_after_gc_per_shard", b / (double) shardCount, "bytes", p));
          heapBytes.ifPresent(b -> bench.add("heap_live", b / 1048576.0, "MiB", p));
          rss.ifPresent(b -> bench.add("rss", b / 1048576.0, "MiB", p));
          ProcessMemory.classHistogram(controller.jmxPort())
              .ifPresent(h -> writeHistogram(dir.resolve("heap-histogram.txt"), h));
        });
    phase("idle reconcile_all", bench::idleReconcileAll);
    if (!loadDuration.isZero()) {
      phase(
          "sustained load",
          () -> new SustainedLoad(bench, controller, seed).run(loadClients, loadDuration));
    }
    if (profile != null) {
      phase("profile", () -> profile(bench, controller, dir.resolve("controller.jfr")));
    }
    phase(
        "restart",
        () -> {
          List<Double> seconds = new ArrayList<>();
          for (int i = 0; i < restarts; i++) {
            controller.stop();
            long start = System.nanoTime();
            controller.start().awaitReady(Bench.DEADLINE);
            seconds.add((System.nanoTime() - start) / 1e9);
          }
          List<Double> sorted = seconds.stream().sorted().toList();
          bench.add(
              "restart_to_ready",
              sorted.get(sorted.size() / 2),
              "s",
              Map.of("shards", shards, "tenants", tenants, "restarts_s", seconds));
        });
    double[][] evacuation = new double[2][];
    phase("node failure (workflow)", () -> evacuation[0] = bench.nodeFailure("node_failure"));
    phase(
        "node failure (direct)",
        () -> {
          bench.http.ok("PUT", "/debug/v1/evacuation_mode", "{\"direct\":true}");
          try {
            evacuation[1] = bench.nodeFailure("node_failure_direct");
          } finally {
            bench.http.ok("PUT", "/debug/v1/evacuation_mode", "{\"direct\":false}");
          }
          if (evacuation[0] == null) {
            return; // node-failure was not among the phases run
          }
          double workflow = evacuation[0][0];
          double direct = evacuation[1][0];
          bench.add(
              "temporal_overhead_evacuation",
              workflow / direct,
              "ratio",
              Map.of("workflow_s", workflow, "direct_s", direct));
          // The second failure is of the busiest node then, often with more shards than the
          // first: per shard is the like-for-like comparison.
          bench.add(
              "temporal_overhead_evacuation_per_shard",
              (workflow / evacuation[0][1]) / (direct / evacuation[1][1]),
              "ratio",
              Map.of(
                  "workflow_s",
                  workflow,
                  "workflow_shards",
                  evacuation[0][1],
                  "direct_s",
                  direct,
                  "direct_shards",
                  evacuation[1][1]));
        });
    phase("drain and fill", bench::drainAndFill);
    phase("balance", bench::balance);
    phase("optimiser balance", bench::optimiserBalance);
    phase(
        "generations",
        () ->
            GenerationCeiling.measure(
                bench,
                database,
                bench.fleet.pageservers().get(0).nodeId().value(),
                16,
                Duration.ofSeconds(10)));
  }

  private void phase(String name, Runnable body) {
    if (!selected(name)) {
      return;
    }
    long start = System.nanoTime();
    Instant began = Instant.now();
    System.out.printf("bench: %s ...%n", name);
    body.run();
    windows.put(name, new Instant[] {began, Instant.now()});
    System.out.printf("bench: %s done in %.1f s%n", name, (System.nanoTime() - start) / 1e9);
  }

  private static void writeHistogram(Path file, String histogram) {
    try {
      Files.writeString(file, histogram);
      System.out.printf("bench: live objects by class in %s%n", file);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** Whether {@code --phases} has this phase ("node failure (direct)" is node-failure's). */
  boolean selected(String name) {
    String key = name.replaceAll(" \\(.*\\)$", "").replaceAll("[ _]+", "-");
    return key.equals("create") || phases.contains(key);
  }

  /** The recording so far, summarised phase by phase into {@link #profile}. */
  private void profile(Bench bench, ControllerChild controller, Path recording) {
    controller.dumpRecording(recording);
    StringBuilder md = new StringBuilder("# Where the controller's time went\n\n");
    md.append(
        "JFR `profile` settings; %d tenants, %d shards, %d pageservers, %d sustained-load clients;"
                .formatted(tenants, shards, pageservers, loadClients)
            + " `storage_controller bench --profile FILE`.\n\n");
    for (String phase : List.of("create", "mixed", "sustained load")) {
      Instant[] window = windows.get(phase);
      if (window == null) {
        continue;
      }
      JfrProfile summary = JfrProfile.read(recording, phase, window[0], window[1]);
      summary
          .figures()
          .forEach(
              (figure, value) ->
                  bench.add(
                      "profile_" + phase.replace(' ', '_') + "_" + figure,
                      value,
                      JfrProfile.unit(figure),
                      Map.of()));
      md.append(summary.markdown());
    }
    try {
      Files.writeString(profile, md.toString());
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    System.out.printf("bench: profile written to %s%n", profile);
  }

  private static void print(List<PhaseResult> results) {
    int width = results.stream().mapToInt(r -> r.phase().length()).max().orElse(10);
    System.out.printf("%n%-" + width + "s  %14s  %s%n", "phase", "figure", "unit");
    for (PhaseResult r : results) {
      System.out.printf("%-" + width + "s  %14.3f  %s%n", r.phase(), r.figure(), r.unit());
    }
  }

  private void write(List<PhaseResult> results) throws IOException {
    JsonMapper json = JsonMapper.builder().enable(SerializationFeature.INDENT_OUTPUT).build();
    Map<String, Object> document =
        Bench.ordered(
            "machine",
            Map.of(
                "cores", Runtime.getRuntime().availableProcessors(),
                "os", System.getProperty("os.name") + " " + System.getProperty("os.arch"),
                "java", System.getProperty("java.version")),
            "parameters",
            Map.of(
                "pageservers", pageservers,
                "tenants", tenants,
                "shards", shards,
                "clients", clients,
                "mixed_clients", mixedClients,
                "mixed_ops", mixedOps,
                "load_clients", loadClients,
                "load_duration_s", loadDuration.toSeconds()),
            "phases",
            results);
    Files.writeString(output, json.writeValueAsString(document) + "\n");
    Path table = output.resolveSibling(output.getFileName().toString().replace(".json", ".md"));
    Files.writeString(table, markdown(results));
    System.out.printf("bench: results written to %s and %s%n", output.toAbsolutePath(), table);
  }

  /** The README's performance table, generated from the same results. */
  static String markdown(List<PhaseResult> results) {
    StringBuilder table = new StringBuilder("| phase | figure | unit |\n|---|---:|---|\n");
    for (PhaseResult r : results) {
      table.append(
          String.format(
              "| %s | %.3f | %s |%n", r.phase().replace("|", "\\|"), r.figure(), r.unit()));
    }
    return table.toString();
  }
}
