package io.storagecontroller.tools.storcon;

import picocli.CommandLine;
import picocli.CommandLine.Command;
import tools.jackson.databind.JsonNode;

/** {@code storcon nodes}: the registered pageservers. */
@Command(
    name = "nodes",
    mixinStandardHelpOptions = true,
    description = "List the pageservers: id, address, AZ, scheduling policy, availability.")
final class NodesCommand extends ApiCommand {
  @Override
  public Integer call() {
    JsonNode nodes = api().get("/control/v1/node");
    if (json()) {
      printJson(nodes);
      return CommandLine.ExitCode.OK;
    }
    table(nodes).print(out());
    return CommandLine.ExitCode.OK;
  }

  /** Nodes as the API describes them, a row each (node-tombstones prints the same table). */
  static Table table(JsonNode nodes) {
    Table table = new Table("id", "address", "az", "scheduling", "availability");
    for (JsonNode node : nodes) {
      table.row(
          node.path("id").asLong(),
          node.path("listen_http_addr").asString() + ":" + node.path("listen_http_port").asInt(),
          node.path("availability_zone_id").asString(""),
          node.path("scheduling").asString(""),
          node.path("availability").asString(""));
    }
    return table;
  }
}
