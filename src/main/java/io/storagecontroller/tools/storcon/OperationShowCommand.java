package io.storagecontroller.tools.storcon;

import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Parameters;
import tools.jackson.databind.JsonNode;

/** {@code storcon operations show ID}: every field of one operation. */
@Command(
    name = "show",
    mixinStandardHelpOptions = true,
    description = "Show one operation, with the workflow id to open in the Temporal UI.")
final class OperationShowCommand extends ApiCommand {
  @Parameters(paramLabel = "ID", description = "The operation's id.")
  long id;

  @Override
  public Integer call() {
    JsonNode operation = operations().get(id);
    if (json()) {
      printJson(operation);
      return CommandLine.ExitCode.OK;
    }
    // A key-value table without header, as Neon's tenant-describe prints a tenant's policy.
    Table.withoutHeader(2)
        .row("Operation", operation.path("id").asLong())
        .row("Kind", OperationsCommand.text(operation, "kind"))
        .row("Target", OperationsCommand.text(operation, "target"))
        .row("State", OperationsCommand.text(operation, "state"))
        .row("Phase", OperationsCommand.text(operation, "phase"))
        .row(
            "Progress",
            operation.path("progress_done").asLong()
                + "/"
                + operation.path("progress_total").asLong())
        .row("Workflow", OperationsCommand.text(operation, "workflow_id"))
        .row("Started", OperationsCommand.text(operation, "started_at"))
        .row("Finished", OperationsCommand.text(operation, "finished_at"))
        .row("Error", OperationsCommand.text(operation, "error"))
        .print(out());
    return CommandLine.ExitCode.OK;
  }
}
