package io.storagecontroller.tools.bench;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.util.List;
import org.junit.jupiter.api.Test;
import picocli.CommandLine;

/**
 * {@code --phases} picks phases by name; creation always runs; an unknown name, or fewer than one
 * restart, is refused.
 */
class BenchCommandTest {

  @Test
  void onlyThePhasesNamedRunAndCreationAlways() {
    BenchCommand bench = new BenchCommand();
    new CommandLine(bench).parseArgs("--phases", "handover,node-failure");
    assertThat(bench.selected("create")).isTrue();
    assertThat(bench.selected("handover")).isTrue();
    assertThat(bench.selected("node failure (workflow)")).isTrue();
    assertThat(bench.selected("node failure (direct)")).isTrue();
    assertThat(bench.selected("mixed")).isFalse();
    assertThat(bench.selected("idle reconcile_all")).isFalse();
  }

  @Test
  void byDefaultEveryPhaseRuns() {
    BenchCommand bench = new BenchCommand();
    new CommandLine(bench).parseArgs();
    for (String phase :
        List.of(
            "mixed",
            "memory",
            "idle reconcile_all",
            "sustained load",
            "restart",
            "drain and fill",
            "optimiser balance",
            "generations")) {
      assertThat(bench.selected(phase)).as(phase).isTrue();
    }
  }

  @Test
  void anUnknownPhaseIsRefusedBeforeAnythingStarts() {
    ByteArrayOutputStream err = new ByteArrayOutputStream();
    assertThat(run(err, "--phases", "create,handovr")).isEqualTo(2);
    assertThat(err.toString()).contains("unknown phases [handovr]");
  }

  @Test
  void fewerThanOneRestartIsRefusedBeforeAnythingStarts() {
    ByteArrayOutputStream err = new ByteArrayOutputStream();
    assertThat(run(err, "--restarts", "0")).isEqualTo(2);
    assertThat(err.toString()).contains("--restarts must be at least 1");
  }

  private static int run(ByteArrayOutputStream err, String... args) {
    PrintStream saved = System.err;
    System.setErr(new PrintStream(err, true));
    try {
      return new CommandLine(new BenchCommand()).execute(args);
    } finally {
      System.setErr(saved);
    }
  }
}
