package io.storagecontroller.tools.storcon;

import java.io.PrintWriter;
import java.time.Duration;
import java.time.OffsetDateTime;
import java.time.format.DateTimeParseException;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Spec;
import tools.jackson.databind.JsonNode;

/**
 * A storcon subcommand: reaches the root command's API, output and {@code --json} choice, and
 * reports an operation's end the same way everywhere.
 */
abstract class ApiCommand implements Callable<Integer> {
  @Spec CommandSpec spec;

  StorconCommand storcon() {
    return (StorconCommand) spec.root().userObject();
  }

  ControllerApi api() {
    return storcon().api();
  }

  OperationsApi operations() {
    return new OperationsApi(api());
  }

  boolean json() {
    return storcon().json();
  }

  PrintWriter out() {
    return storcon().out();
  }

  /** Progress goes to standard error, so standard output stays the result alone. */
  ProgressBar progressBar() {
    return new ProgressBar(storcon().err(), storcon().terminal());
  }

  void printJson(JsonNode node) {
    out().println(ControllerApi.JSON.writerWithDefaultPrettyPrinter().writeValueAsString(node));
    out().flush();
  }

  /** Prints a short confirmation, or under {@code --json} the controller's answer. */
  int done(JsonNode answer, String message) {
    if (json()) {
      printJson(answer);
    } else {
      out().println(message);
      out().flush();
    }
    return CommandLine.ExitCode.OK;
  }

  /**
   * Declines to act, as Neon's storcon_cli bails before any request (e.g. a drop without {@code
   * --unclean}): the reason on standard error, exit 1.
   */
  int refused(String why) {
    PrintWriter err = storcon().err();
    err.println("storcon: " + why);
    err.flush();
    return CommandLine.ExitCode.SOFTWARE;
  }

  /** A note on standard error, as Neon's warnings are, so standard output stays the result. */
  void warn(String message) {
    PrintWriter err = storcon().err();
    err.println(message);
    err.flush();
  }

  /**
   * Reports a followed operation's end: 0 when it succeeded, 1 (with its error on standard error)
   * when it failed or was cancelled.
   */
  int finished(JsonNode operation) {
    String what = operation.path("kind").asString() + " " + operation.path("target").asString();
    String state = operation.path("state").asString();
    if (json()) {
      printJson(operation);
    } else if (OperationsApi.succeeded(operation)) {
      out().println(what + " succeeded" + took(operation));
      out().flush();
    }
    if (OperationsApi.succeeded(operation)) {
      return CommandLine.ExitCode.OK;
    }
    String error = operation.path("error").isString() ? operation.get("error").asString() : "";
    PrintWriter err = storcon().err();
    err.println(
        "storcon: operation "
            + operation.path("id").asLong()
            + " ("
            + what
            + ") "
            + state
            + (error.isEmpty() ? "" : ": " + error));
    err.flush();
    return CommandLine.ExitCode.SOFTWARE;
  }

  private static String took(JsonNode operation) {
    try {
      OffsetDateTime start = OffsetDateTime.parse(operation.path("started_at").asString());
      OffsetDateTime end = OffsetDateTime.parse(operation.path("finished_at").asString());
      Duration d = Duration.between(start, end);
      return " in " + d.toSeconds() + "." + (d.toMillisPart() / 100) + "s";
    } catch (DateTimeParseException unknown) {
      return "";
    }
  }
}
