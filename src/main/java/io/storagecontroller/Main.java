package io.storagecontroller;

import io.storagecontroller.cli.ControllerCommand;
import java.io.PrintWriter;
import picocli.CommandLine;

/** Entry point of the {@code storage_controller} binary. */
public final class Main {
  private Main() {}

  public static void main(String[] args) {
    int status = run(args, new PrintWriter(System.out, true), new PrintWriter(System.err, true));
    // On success the controller keeps running on its own non-daemon threads; only failures exit
    // here.
    if (status != 0) {
      System.exit(status);
    }
  }

  /** Parses the command line and runs the command; returns the process exit status. */
  public static int run(String[] args, PrintWriter out, PrintWriter err) {
    return ControllerCommand.commandLine(out, err).execute(args);
  }

  /** The exit status of a command line that could not be parsed (as clap and picocli use). */
  public static final int USAGE_ERROR = CommandLine.ExitCode.USAGE;
}
