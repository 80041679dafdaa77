package io.storagecontroller.tools.chaos;

import io.storagecontroller.cli.HumanDurationConverter;
import io.storagecontroller.tools.harness.ControllerChild;
import io.storagecontroller.tools.harness.ControllerHttp;
import io.storagecontroller.tools.simulator.PageserverFleet;
import io.storagecontroller.tools.simulator.SimulatedPageserver;
import io.storagecontroller.tools.simulator.SimulatorOptions;
import io.temporal.testserver.TestServer;
import java.io.UncheckedIOException;
import java.net.ServerSocket;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.BooleanSupplier;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.SerializationFeature;
import tools.jackson.databind.json.JsonMapper;

/**
 * {@code storage_controller chaos}: the controller as its own process with a simulated fleet and a
 * workload, while pageservers and the controller itself fail on a seeded schedule; then checks that
 * nothing was lost. Exit status 1 when any check failed.
 */
@Command(
    name = "chaos",
    mixinStandardHelpOptions = true,
    description =
        "Soak the controller under a workload while pageservers and the controller fail; check the"
            + " generation invariant, that nothing acknowledged is lost or resurrected, that every"
            + " tenant ends attached and that the consistency check passes.")
public final class ChaosCommand implements Callable<Integer> {
  @Option(
      names = "--duration",
      converter = HumanDurationConverter.class,
      description = "How long faults are injected (default 10m).")
  Duration duration = Duration.ofMinutes(10);

  @Option(names = "--seed", description = "Seed of every random choice (default 1).")
  long seed = 1;

  @Option(names = "--pageservers", description = "Simulated pageservers (default 4).")
  int pageservers = 4;

  @Option(names = "--clients", description = "Concurrent workload clients (default 6).")
  int clients = 6;

  @Option(
      names = "--pageserver-fault-every",
      converter = HumanDurationConverter.class,
      description = "Mean time between pageserver faults (default 8s).")
  Duration pageserverEvery = Duration.ofSeconds(8);

  @Option(
      names = "--controller-kill-every",
      converter = HumanDurationConverter.class,
      description =
          "Mean time a controller runs between its faults: a SIGKILL, an exit at a phase of a"
              + " split or live migration, or a rolling deploy (default 12s).")
  Duration controllerEvery = Duration.ofSeconds(12);

  @Option(
      names = "--database-fault-every",
      converter = HumanDurationConverter.class,
      description =
          "Mean time between PostgreSQL faults: every connection cut, or the server stopped for 3"
              + " to 10 s (default 90s).")
  Duration databaseEvery = Duration.ofSeconds(90);

  @Option(
      names = "--external-temporal",
      description =
          "Run the controller on a Temporal service outside it (the SDK's test server on a"
              + " loopback port, in this process), so workflows outlive each SIGKILL and resume in"
              + " the next controller; default: the controller's in-process service.")
  boolean externalTemporal;

  @Option(names = "--work-dir", description = "Where databases and logs go (default: a temp dir).")
  Path workDir;

  @Option(names = "--output", description = "The JSON summary (default chaos-summary.json).")
  Path output = Path.of("chaos-summary.json");

  @Override
  public Integer call() throws Exception {
    Path dir = workDir != null ? workDir : Files.createTempDirectory("storage-controller-chaos");
    System.out.printf("chaos: seed %d, %s, work dir %s%n", seed, duration, dir);
    TestServer.PortBoundTestServer temporal = null;
    try (ChaosDatabase database = new ChaosDatabase(dir.resolve("postgres"))) {
      List<String> args = new ArrayList<>();
      if (externalTemporal) {
        int port;
        try (ServerSocket probe = new ServerSocket(0)) {
          port = probe.getLocalPort();
        }
        temporal = TestServer.createPortBoundServer(port, true);
        // The test server never hands a dead controller's sticky workflow tasks on.
        args.addAll(
            List.of("--temporal-target", "127.0.0.1:" + port, "--temporal-sticky-timeout", "0s"));
        System.out.printf("chaos: Temporal on 127.0.0.1:%d, outside the controller%n", port);
      }
      args.addAll(
          List.of(
              "--dev",
              "--data-dir",
              dir.resolve("controller").toString(),
              "--database-url",
              database.url(),
              "--heartbeat-interval",
              "1s",
              "--max-offline-interval",
              "5s"));
      try (ControllerChild controller =
              new ControllerChild(dir.resolve("controller.log"), "2g", args).withPeerAddress();
          ControllerChild next =
              controller.sibling(dir.resolve("controller-next.log"), dir.resolve("next"))) {
        controller.start().awaitReady(Duration.ofMinutes(3));
        ControllerHttp http = new ControllerHttp(controller.url());
        try (PageserverFleet fleet =
            PageserverFleet.start(
                SimulatorOptions.defaults()
                    .withPageservers(pageservers)
                    .withFirstNodeId(1)
                    .withSeed(seed)
                    .withSecondaryDownloadTime(Duration.ofMillis(500))
                    .withAvailabilityZone(n -> "az-chaos")
                    .withController(URI.create(controller.url())))) {
          awaitNodesActive(http, fleet);
          Map<String, Object> summary = soak(controller, next, http, fleet, database);
          JsonMapper json = JsonMapper.builder().enable(SerializationFeature.INDENT_OUTPUT).build();
          Files.writeString(output, json.writeValueAsString(summary) + "\n");
          System.out.println(json.writeValueAsString(summary));
          System.out.printf("chaos: summary written to %s%n", output.toAbsolutePath());
          return ((Number) summary.get("violations")).intValue() == 0 ? 0 : 1;
        }
      }
    } finally {
      if (temporal != null) {
        temporal.close();
      }
    }
  }

  private Map<String, Object> soak(
      ControllerChild controller,
      ControllerChild next,
      ControllerHttp http,
      PageserverFleet fleet,
      ChaosDatabase database)
      throws InterruptedException {
    Ledger ledger = new Ledger();
    AtomicBoolean running = new AtomicBoolean(true);
    List<Long> nodes = fleet.pageservers().stream().map(p -> p.nodeId().value()).toList();
    List<Thread> threads = new ArrayList<>();
    for (int i = 0; i < clients; i++) {
      Thread client =
          new Thread(
              new Workload(http, ledger, seed * 1000 + i, nodes, running::get),
              "chaos-client-" + i);
      threads.add(client);
    }
    FaultInjector faults =
        new FaultInjector(
            fleet,
            controller,
            next,
            http,
            database,
            seed,
            pageserverEvery,
            controllerEvery,
            databaseEvery,
            running::get);
    Thread injector = new Thread(faults, "chaos-faults");
    long start = System.nanoTime();
    threads.forEach(Thread::start);
    injector.start();
    Thread.sleep(duration.toMillis());
    running.set(false);
    injector.join();
    for (Thread t : threads) {
      t.join();
    }
    System.out.println("chaos: faults stopped; waiting for the system to settle");
    settle(http, fleet);
    Verdict verdict = Verdict.of(http, fleet, ledger);
    Map<String, Object> summary = new LinkedHashMap<>();
    summary.put("seed", seed);
    summary.put("duration_s", duration.toSeconds());
    summary.put("wall_clock_s", (System.nanoTime() - start) / 1_000_000_000L);
    summary.put("pageservers", pageservers);
    summary.put("clients", clients);
    summary.put("temporal", externalTemporal ? "external (SDK test server)" : "in-process");
    summary.put("faults_injected", faults.injected());
    summary.put("operations_acknowledged", ledger.acknowledgedByKind());
    summary.put("operations_unanswered", ledger.unansweredByKind());
    summary.put("tenants_live", ledger.live().size());
    summary.put("tenants_deleted", ledger.deleted().size());
    summary.put("violations", verdict.violations());
    summary.put("safety_violations", verdict.safety());
    summary.put("lost_tenants", verdict.lost());
    summary.put("resurrected_tenants", verdict.resurrected());
    summary.put("unattached_shards", verdict.unattached());
    summary.put("creates_unanswered_checked", ledger.uncertainCreates().size());
    summary.put("deletes_unanswered_checked", ledger.uncertainDeletes().size());
    summary.put("partial_tenants", verdict.partial());
    summary.put("consistency_check", verdict.inconsistent());
    return summary;
  }

  /**
   * How long the controller must stay idle to count as settled: the optimiser moves shards in
   * passes a few seconds apart, and a check that falls between two passes finds nothing in flight
   * while more moves are coming (a soak's verdict once ran into the next pass).
   */
  private static final Duration SETTLED_FOR = Duration.ofSeconds(15);

  /** Heals everything, ends drains, and waits until reconciles are done and stay done. */
  private static void settle(ControllerHttp http, PageserverFleet fleet) {
    fleet.pageservers().forEach(SimulatedPageserver::clearFaults);
    awaitNodesActive(http, fleet);
    long[] idleSince = {0};
    await(
        () -> {
          if (!idleNow(http, fleet)) {
            idleSince[0] = 0;
            return false;
          }
          if (idleSince[0] == 0) {
            idleSince[0] = System.nanoTime();
          }
          return System.nanoTime() - idleSince[0] >= SETTLED_FOR.toNanos();
        },
        Duration.ofMinutes(5),
        "an idle controller");
  }

  /** Ends drains and fills, restarts paused nodes, and says whether nothing is in flight. */
  private static boolean idleNow(ControllerHttp http, PageserverFleet fleet) {
    for (JsonNode node : http.ok("GET", "/control/v1/node", null).json()) {
      String policy = node.path("scheduling").asString();
      long id = node.get("id").asLong();
      if (policy.equals("Draining")) {
        http.send("DELETE", "/control/v1/node/" + id + "/drain", null);
      } else if (policy.equals("Filling")) {
        http.send("DELETE", "/control/v1/node/" + id + "/fill", null);
      } else if (policy.equals("PauseForRestart")) {
        fleet.pageserver(id).restart();
      }
    }
    http.send("POST", "/debug/v1/reconcile_all", "");
    return http.send("POST", "/debug/v1/consistency_check", "").status() != 409;
  }

  private static void awaitNodesActive(ControllerHttp http, PageserverFleet fleet) {
    await(
        () ->
            fleet.pageservers().stream()
                .allMatch(
                    ps ->
                        "Active"
                            .equals(
                                http.ok("GET", "/control/v1/node/" + ps.nodeId(), null)
                                    .json()
                                    .path("availability")
                                    .asString())),
        Duration.ofMinutes(3),
        "every node active");
  }

  private static void await(BooleanSupplier condition, Duration deadline, String what) {
    long end = System.nanoTime() + deadline.toNanos();
    while (true) {
      try {
        if (condition.getAsBoolean()) {
          return;
        }
      } catch (UncheckedIOException | IllegalStateException notYet) {
        // The controller may still be starting.
      }
      if (System.nanoTime() > end) {
        throw new IllegalStateException("timed out waiting for " + what);
      }
      try {
        Thread.sleep(500);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new IllegalStateException(e);
      }
    }
  }
}
