package io.storagecontroller.tools.storcon;

import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code storcon node-start-delete}: move everything off a node, then forget it (a tombstone
 * stays). Neon's {@code node-delete} is the older synchronous route ({@link NodeDeleteCommand}).
 */
@Command(
    name = "node-start-delete",
    mixinStandardHelpOptions = true,
    sortOptions = false,
    description = {
      "Delete a node: move its attached and secondary locations to other nodes, then tombstone it.",
      "With --wait, follow it with a progress bar; --cancel stops a running deletion (or use"
          + " node-cancel-delete)."
    })
final class NodeStartDeleteCommand extends NodeOperationCommand {
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
