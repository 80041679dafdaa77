package io.storagecontroller.tools.storcon;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
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

  /**
   * Nodes as the API describes them, a row each (node-tombstones prints the same table), in Neon's
   * order: by host, in the API's order (by id) within a host. Neon's "Hostname" column is the host
   * alone; ours adds the port, so it is "Address".
   */
  static Table table(JsonNode nodes) {
    List<JsonNode> sorted = new ArrayList<>();
    nodes.forEach(sorted::add);
    sorted.sort(Comparator.comparing(n -> n.path("listen_http_addr").asString("")));
    Table table = new Table("Id", "Address", "AZ", "Scheduling", "Availability");
    for (JsonNode node : sorted) {
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
