package io.storagecontroller.cli;

import static org.assertj.core.api.Assertions.assertThat;

import io.storagecontroller.testing.ApiClient;
import io.storagecontroller.testing.ControllerProcess;
import io.storagecontroller.testing.Storcon;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code storage_controller demo} as its own process: it comes up with simulated pageservers and
 * tenants, and every storcon command it prints runs as printed.
 */
class DemoProcessTest {
  static final Duration DEADLINE = Duration.ofSeconds(180);
  static final String STORCON = "  bin/storcon ";

  @TempDir Path dir;

  @Test
  void theDemoStartsAndTheCommandsItPrintsWork() throws IOException {
    Path log = dir.resolve("demo.log");
    try (ControllerProcess demo = new ControllerProcess(dir.resolve("data"), log, "demo")) {
      demo.start();
      ControllerProcess.await(
          DEADLINE, () -> read(log).contains("Stop the demo with Ctrl-C."), "the demo's guide");
      String printed = read(log);
      assertThat(printed)
          .contains("export STORCON_API=" + demo.url())
          .contains("pageserver 1", "pageserver 2", "pageserver 3")
          .contains("Temporal UI");
      assertThat(printed.lines().filter(l -> l.startsWith("  tenant "))).hasSize(3);

      Storcon storcon = new Storcon(demo.url());
      List<String> commands =
          printed.lines().filter(l -> l.startsWith(STORCON) && !l.contains("<")).toList();
      assertThat(commands).hasSizeGreaterThanOrEqualTo(6);
      for (String line : commands) {
        List<String> args =
            new ArrayList<>(
                List.of(line.substring(STORCON.length()).split("#")[0].strip().split(" +")));
        if (args.contains("--wait")) {
          args.addAll(List.of("--timeout", "120s"));
        }
        Storcon.Run run = storcon.run(args.toArray(String[]::new));
        if (args.get(0).equals("consistency-check")) {
          // Refused (409) while the reconciles of the fill above still run: ask again.
          Instant end = Instant.now().plus(Duration.ofSeconds(60));
          while (run.status() != 0
              && run.err().contains("HTTP 409")
              && Instant.now().isBefore(end)) {
            run = storcon.run(args.toArray(String[]::new));
          }
        }
        assertThat(run.status()).as(line + "\n" + run).isZero();
        assertThat(run.out()).as(line).isNotBlank();
      }
      // The fault-injection line names the simulator's control API, which answers.
      String simulator =
          printed
              .lines()
              .filter(l -> l.startsWith("  simulator "))
              .findFirst()
              .orElseThrow()
              .split(" +")[2];
      assertThat(new ApiClient(simulator).get("/simulator/v1/safety").status()).isEqualTo(200);
      assertThat(demo.terminate(Duration.ofSeconds(30))).isIn(0, 143);
    }
  }

  private static String read(Path log) {
    try {
      return Files.exists(log) ? Files.readString(log) : "";
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
