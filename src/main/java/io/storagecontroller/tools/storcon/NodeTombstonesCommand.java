package io.storagecontroller.tools.storcon;

import picocli.CommandLine;
import picocli.CommandLine.Command;
import tools.jackson.databind.JsonNode;

/** {@code storcon node-tombstones}: the deleted or dropped nodes the controller remembers. */
@Command(
    name = "node-tombstones",
    mixinStandardHelpOptions = true,
    description = {
      "List node tombstones: nodes deleted or dropped, whose ids may not register again until"
          + " node-delete-tombstone removes them."
    })
final class NodeTombstonesCommand extends ApiCommand {
  @Override
  public Integer call() {
    JsonNode tombstones = api().get("/debug/v1/tombstone");
    if (json()) {
      printJson(tombstones);
      return CommandLine.ExitCode.OK;
    }
    NodesCommand.table(tombstones).print(out());
    return CommandLine.ExitCode.OK;
  }
}
