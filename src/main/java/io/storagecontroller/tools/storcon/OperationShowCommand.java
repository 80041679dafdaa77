package io.storagecontroller.tools.storcon;

import java.util.ArrayList;
import java.util.List;
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
    List<String[]> details = new ArrayList<>();
    details.add(new String[] {"Operation", String.valueOf(operation.path("id").asLong())});
    details.add(new String[] {"Kind", OperationsCommand.text(operation, "kind")});
    details.add(new String[] {"Target", OperationsCommand.text(operation, "target")});
    details.add(new String[] {"State", OperationsCommand.text(operation, "state")});
    details.add(new String[] {"Phase", OperationsCommand.text(operation, "phase")});
    details.add(
        new String[] {
          "Progress",
          operation.path("progress_done").asLong() + "/" + operation.path("progress_total").asLong()
        });
    details.add(new String[] {"Workflow", OperationsCommand.text(operation, "workflow_id")});
    details.add(new String[] {"Started", OperationsCommand.text(operation, "started_at")});
    details.add(new String[] {"Finished", OperationsCommand.text(operation, "finished_at")});
    details.add(new String[] {"Error", OperationsCommand.text(operation, "error")});
    Table.details(out(), details);
    return CommandLine.ExitCode.OK;
  }
}
