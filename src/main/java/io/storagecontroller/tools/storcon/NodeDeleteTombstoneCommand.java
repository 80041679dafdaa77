package io.storagecontroller.tools.storcon;

import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code storcon node-delete-tombstone}: let a deleted node's id register again. */
@Command(
    name = "node-delete-tombstone",
    mixinStandardHelpOptions = true,
    description = "Delete a node's tombstone, so that a node with its id may register again.")
final class NodeDeleteTombstoneCommand extends ApiCommand {
  @Option(names = "--node-id", required = true)
  long nodeId;

  @Override
  public Integer call() {
    return done(
        api().delete("/debug/v1/tombstone/" + nodeId), "tombstone of node " + nodeId + " deleted");
  }
}
