package io.storagecontroller.tools.storcon;

import picocli.CommandLine.Command;

/** {@code storcon node-cancel-delete}: stop a node's deletion and wait for the node to settle. */
@Command(
    name = "node-cancel-delete",
    mixinStandardHelpOptions = true,
    sortOptions = false,
    description = {
      "Cancel a node's deletion (node-start-delete), then wait up to --timeout for its"
          + " scheduling policy to leave Deleting. May be retried."
    })
final class NodeCancelDeleteCommand extends NodeCancelCommand {
  @Override
  String kind() {
    return "delete";
  }

  @Override
  boolean settled(String scheduling) {
    return !scheduling.equals("Deleting");
  }
}
