package io.storagecontroller.tools.storcon;

import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import tools.jackson.databind.JsonNode;

/**
 * {@code storcon operations}: long operations (drain, fill, migrate, evacuate, split), newest
 * first; its subcommands show, follow, cancel and retry one.
 */
@Command(
    name = "operations",
    mixinStandardHelpOptions = true,
    subcommands = {
      OperationShowCommand.class,
      OperationWatchCommand.class,
      OperationCancelCommand.class,
      OperationRetryCommand.class
    },
    description = {
      "List long operations, newest first: kind, target, state, progress, phase.",
      "Subcommands show, watch, cancel and retry one by id; its workflow id finds it in the"
          + " Temporal UI."
    })
final class OperationsCommand extends ApiCommand {
  @Option(
      names = "--limit",
      defaultValue = "20",
      description = "How many to list, 1-1000 (default: ${DEFAULT-VALUE}).")
  int limit;

  @Override
  public Integer call() {
    JsonNode operations = api().get("/control/v1/operations?limit=" + limit);
    if (json()) {
      printJson(operations);
      return CommandLine.ExitCode.OK;
    }
    Table table =
        new Table("Id", "Kind", "Target", "State", "Progress", "Phase", "Started", "Error");
    for (JsonNode operation : operations) {
      table.row(
          operation.path("id").asLong(),
          operation.path("kind").asString(""),
          operation.path("target").asString(""),
          operation.path("state").asString(""),
          operation.path("progress_done").asLong()
              + "/"
              + operation.path("progress_total").asLong(),
          text(operation, "phase"),
          shortTime(text(operation, "started_at")),
          abbreviated(text(operation, "error")));
    }
    table.print(out());
    return CommandLine.ExitCode.OK;
  }

  static String text(JsonNode operation, String field) {
    JsonNode value = operation.path(field);
    return value.isString() ? value.asString() : "";
  }

  /** {@code 2026-06-23T18:15:33.123456+02:00} as {@code 2026-06-23 18:15:33}. */
  static String shortTime(String timestamp) {
    return timestamp.length() >= 19 ? timestamp.substring(0, 19).replace('T', ' ') : timestamp;
  }

  private static String abbreviated(String error) {
    return error.length() <= 60 ? error : error.substring(0, 57) + "...";
  }
}
