package io.storagecontroller;

import io.storagecontroller.cli.ControllerCommand;
import java.io.PrintWriter;
import java.util.Set;
import picocli.CommandLine;
import picocli.CommandLine.ParseResult;

/** Entry point of the {@code storage_controller} binary. */
public final class Main {
  private Main() {}

  /** Commands that are done when they return, whatever threads their libraries leave behind. */
  static final Set<String> ONE_SHOT = Set.of("bench", "chaos");

  public static void main(String[] args) {
    CommandLine cli =
        ControllerCommand.commandLine(
            new PrintWriter(System.out, true), new PrintWriter(System.err, true));
    int status = cli.execute(args);
    // The controller, the simulator and the demo keep running on their own non-daemon threads, so
    // success does not exit here; a one-shot command does (the benchmark's JMX client leaves RMI
    // threads that would keep it alive after its results are written).
    if (status != 0 || oneShot(cli.getParseResult())) {
      System.exit(status);
    }
  }

  static boolean oneShot(ParseResult parsed) {
    return parsed != null
        && parsed.hasSubcommand()
        && ONE_SHOT.contains(parsed.subcommand().commandSpec().name());
  }

  /** Parses the command line and runs the command; returns the process exit status. */
  public static int run(String[] args, PrintWriter out, PrintWriter err) {
    return ControllerCommand.commandLine(out, err).execute(args);
  }

  /** The exit status of a command line that could not be parsed (as clap and picocli use). */
  public static final int USAGE_ERROR = CommandLine.ExitCode.USAGE;
}
