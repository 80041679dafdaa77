package io.storagecontroller.tools.demo;

import io.storagecontroller.StorageControllerApplication;
import io.storagecontroller.cli.ControllerCommand;
import io.storagecontroller.tools.simulator.PageserverFleet;
import io.storagecontroller.tools.simulator.SimulatedPageserver;
import io.storagecontroller.tools.simulator.SimulatorOptions;
import io.storagecontroller.tools.storcon.ApiFailure;
import io.storagecontroller.tools.storcon.ControllerApi;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.UncheckedIOException;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import java.util.function.BooleanSupplier;
import java.util.stream.Stream;
import org.springframework.context.ConfigurableApplicationContext;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParentCommand;
import picocli.CommandLine.Spec;
import tools.jackson.databind.node.ObjectNode;

/**
 * {@code storage_controller demo}: the controller on embedded defaults (auth off) in a fresh data
 * directory, three simulated pageservers registered with it and a few tenants placed on them, then
 * the commands to try next. It runs until interrupted.
 */
@Command(
    name = "demo",
    mixinStandardHelpOptions = true,
    sortOptions = false,
    description = {
      "Runs the controller on embedded defaults with simulated pageservers and a few tenants,"
          + " and prints what to try next. Auth is off (as with --dev).",
      "The controller's flags (e.g. --listen) go before 'demo'. Without --data-dir the demo uses"
          + " a fresh temporary directory, removed when it stops."
    })
public final class DemoCommand implements Callable<Integer> {
  static final Duration DEADLINE = Duration.ofSeconds(120);

  @ParentCommand ControllerCommand controller;

  @Spec CommandSpec spec;

  @Option(
      names = "--pageservers",
      defaultValue = "3",
      description = "Simulated pageservers to start (default: ${DEFAULT-VALUE}).")
  int pageservers;

  @Option(
      names = "--tenants",
      defaultValue = "3",
      description = "Tenants to create (default: ${DEFAULT-VALUE}).")
  int tenants;

  @Override
  public Integer call() throws IOException {
    if (pageservers < 1 || tenants < 0) {
      throw new CommandLine.ParameterException(
          spec.commandLine(), "--pageservers must be positive and --tenants not negative");
    }
    PrintWriter out = spec.commandLine().getOut();
    Path scratch = null;
    if (!spec.parent().commandLine().getParseResult().hasMatchedOption("--data-dir")) {
      // The simulated pageservers listen on new ports every run; a fresh database keeps the
      // nodes of an earlier run (at their old addresses) from refusing the new registrations.
      scratch = Files.createTempDirectory("storage_controller-demo");
      controller.useDataDir(scratch);
    }
    controller.useDevMode();
    Map<String, Object> properties = controller.configuration();
    out.println(
        "storage_controller demo: starting the controller (data in " + controller.dataDir() + ")");
    out.flush();
    ConfigurableApplicationContext context = StorageControllerApplication.start(properties);
    String url = controller.url();
    ControllerApi api = new ControllerApi(URI.create(url), null);
    await(() -> ready(api), "the controller's /ready");

    PageserverFleet fleet =
        PageserverFleet.start(
            SimulatorOptions.defaults()
                .withPageservers(pageservers)
                .withController(URI.create(url)));
    CountDownLatch stopped = new CountDownLatch(1);
    Path data = scratch;
    Thread hook =
        new Thread(
            () -> {
              fleet.close();
              context.close();
              removeScratch(data);
              stopped.countDown();
            },
            "demo-shutdown");
    Runtime.getRuntime().addShutdownHook(hook);
    for (SimulatedPageserver pageserver : fleet.pageservers()) {
      await(
          () ->
              "Active"
                  .equals(
                      api.get("/control/v1/node/" + pageserver.nodeId())
                          .path("availability")
                          .asString()),
          "node " + pageserver.nodeId() + " Active");
    }
    List<String> created = new ArrayList<>();
    for (int i = 0; i < tenants; i++) {
      created.add(createTenant(api, i));
    }
    DemoGuide.print(out, url, fleet, created);
    try {
      stopped.await();
    } catch (InterruptedException e) {
      // Interrupted in-process: stop everything and return.
      Runtime.getRuntime().removeShutdownHook(hook);
      hook.run();
    }
    return CommandLine.ExitCode.OK;
  }

  /** Tenants of a few shapes: unsharded, 4 shards, 2 shards; each with one secondary. */
  private static String createTenant(ControllerApi api, int index) {
    int[] shapes = {0, 4, 2};
    int shards = shapes[index % shapes.length];
    ObjectNode body = ControllerApi.object();
    String id = HexFormat.of().formatHex(randomBytes());
    body.put("new_tenant_id", id);
    if (shards > 0) {
      body.putObject("shard_parameters").put("count", shards).put("stripe_size", 2048);
    }
    body.putObject("placement_policy").put("Attached", 1);
    api.post("/v1/tenant", body);
    return id;
  }

  private static byte[] randomBytes() {
    byte[] bytes = new byte[16];
    new SecureRandom().nextBytes(bytes);
    return bytes;
  }

  private static boolean ready(ControllerApi api) {
    try {
      api.get("/ready");
      return true;
    } catch (ApiFailure notYet) {
      return false;
    }
  }

  private static void await(BooleanSupplier condition, String what) {
    Instant end = Instant.now().plus(DEADLINE);
    while (!condition.getAsBoolean()) {
      if (Instant.now().isAfter(end)) {
        throw new IllegalStateException(what + " not reached within " + DEADLINE);
      }
      try {
        Thread.sleep(200);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new IllegalStateException("interrupted while waiting for " + what, e);
      }
    }
  }

  /**
   * Removes the demo's data once PostgreSQL has stopped (it deletes its {@code postmaster.pid}
   * last); Spring may still be closing the context on its own shutdown hook when this runs.
   */
  private static void removeScratch(Path dir) {
    if (dir == null) {
      return;
    }
    Instant end = Instant.now().plus(Duration.ofSeconds(20));
    while (postgresRunsIn(dir) && Instant.now().isBefore(end)) {
      try {
        Thread.sleep(100);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        return;
      }
    }
    try (Stream<Path> paths = Files.walk(dir)) {
      paths.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
    } catch (IOException | UncheckedIOException e) {
      // A temporary directory left behind is harmless.
    }
  }

  private static boolean postgresRunsIn(Path dir) {
    try (Stream<Path> paths = Files.walk(dir, 2)) {
      return paths.anyMatch(p -> p.getFileName().toString().equals("postmaster.pid"));
    } catch (IOException | UncheckedIOException e) {
      return false;
    }
  }
}
