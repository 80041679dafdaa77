package io.storagecontroller.tools.storcon;

import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code storcon node-delete}: move everything off a node, then forget it (a tombstone stays). */
@Command(
    name = "node-delete",
    aliases = "node-start-delete",
    mixinStandardHelpOptions = true,
    sortOptions = false,
    description = {
      "Delete a node: move its attached and secondary locations to other nodes, then tombstone it.",
      "With --wait, follow it with a progress bar; --cancel stops a running deletion."
    })
final class NodeDeleteCommand extends NodeOperationCommand {
  @Option(
      names = "--force",
      description = "Do not wait for the node's locations to be detached (Neon's force).")
  boolean force;

  @Override
  String kind() {
    return "delete";
  }

  @Override
  String startQuery() {
    return force ? "?force=true" : "";
  }
}
