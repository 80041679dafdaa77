package io.storagecontroller.tools.storcon;

import picocli.CommandLine.Command;

/** {@code storcon cancel-fill}: stop a node's fill and wait for the node to settle. */
@Command(
    name = "cancel-fill",
    mixinStandardHelpOptions = true,
    sortOptions = false,
    description = {
      "Cancel a node's fill, then wait up to --timeout for its scheduling policy to become"
          + " Active. May be retried."
    })
final class CancelFillCommand extends NodeCancelCommand {
  @Override
  String kind() {
    return "fill";
  }

  @Override
  boolean settled(String scheduling) {
    return scheduling.equals("Active");
  }
}
