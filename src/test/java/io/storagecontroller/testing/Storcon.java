package io.storagecontroller.testing;

import static org.assertj.core.api.Assertions.assertThat;

import io.storagecontroller.tools.storcon.StorconCommand;
import io.storagecontroller.tools.storcon.Terminal;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.util.ArrayList;
import java.util.List;

/** Runs storcon in this JVM against a controller, capturing what it prints. */
public final class Storcon {
  /** Not a terminal: progress is a line per change, as in a log. */
  public static final Terminal LOG = new Terminal(72, false);

  public record Run(int status, String out, String err) {
    @Override
    public String toString() {
      return "exit " + status + "\n--- out\n" + out + "--- err\n" + err;
    }
  }

  private final String api;

  public Storcon(String api) {
    this.api = api;
  }

  public Run run(String... args) {
    return run(LOG, args);
  }

  /** Runs a command that must succeed (exit 0); the failure shows what it printed. */
  public Run ok(String... args) {
    Run run = run(args);
    assertThat(run.status()).as(run.toString()).isZero();
    return run;
  }

  public Run run(Terminal terminal, String... args) {
    StringWriter out = new StringWriter();
    StringWriter err = new StringWriter();
    List<String> all = new ArrayList<>(List.of("--api", api));
    all.addAll(List.of(args));
    int status =
        StorconCommand.commandLine(new PrintWriter(out), new PrintWriter(err), terminal)
            .execute(all.toArray(String[]::new));
    return new Run(status, out.toString(), err.toString());
  }
}
