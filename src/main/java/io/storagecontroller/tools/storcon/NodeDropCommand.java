package io.storagecontroller.tools.storcon;

import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code storcon node-drop}: forget a node without moving anything off it. */
@Command(
    name = "node-drop",
    mixinStandardHelpOptions = true,
    sortOptions = false,
    description = {
      "Uncleanly drop a node: the controller forgets it (and tombstones it) without checking"
          + " whether tenants still refer to it and without rescheduling them. Needs --unclean."
    })
final class NodeDropCommand extends UncleanDropCommand {
  @Option(names = "--node-id", required = true)
  long nodeId;

  @Override
  String warning() {
    return "This command is not a clean node decommission, and uncleanly drops all controller"
        + " state for the node, without checking if any tenants still refer to it.";
  }

  @Override
  String path() {
    return "/debug/v1/node/" + nodeId + "/drop";
  }

  @Override
  String what() {
    return "node " + nodeId;
  }
}
