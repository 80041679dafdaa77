package io.storagecontroller.tools.storcon;

import picocli.CommandLine.Command;

/** {@code storcon cancel-drain}: stop a node's drain and wait for the node to settle. */
@Command(
    name = "cancel-drain",
    mixinStandardHelpOptions = true,
    sortOptions = false,
    description = {
      "Cancel a node's drain, then wait up to --timeout for its scheduling policy to become"
          + " Active (or PauseForRestart, if the drain finished first). May be retried."
    })
final class CancelDrainCommand extends NodeCancelCommand {
  @Override
  String kind() {
    return "drain";
  }

  @Override
  boolean settled(String scheduling) {
    return scheduling.equals("Active") || scheduling.equals("PauseForRestart");
  }
}
