package io.storagecontroller.tools.storcon;

import picocli.CommandLine.Command;

/** {@code storcon node-drain}: move a node's attached shards elsewhere before maintenance. */
@Command(
    name = "node-drain",
    aliases = "start-drain",
    mixinStandardHelpOptions = true,
    sortOptions = false,
    description = {
      "Drain a node: move its attached shards to other nodes, leaving it scheduling=PauseForRestart.",
      "With --wait, follow it with a progress bar; --cancel stops a running drain."
    })
final class NodeDrainCommand extends NodeOperationCommand {
  @Override
  String kind() {
    return "drain";
  }
}
