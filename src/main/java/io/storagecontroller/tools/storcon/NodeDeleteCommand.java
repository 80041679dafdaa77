package io.storagecontroller.tools.storcon;

import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code storcon node-delete}: Neon's obsolete synchronous deletion ({@code DELETE
 * /control/v1/node/:id}), kept under Neon's name for scripts that still call it; it answers once
 * the node is gone, with no operation to follow or cancel.
 */
@Command(
    name = "node-delete",
    mixinStandardHelpOptions = true,
    description = {
      "Obsolete: delete a node synchronously (its shards are rescheduled, then it is tombstoned).",
      "Use node-start-delete instead, if possible."
    })
final class NodeDeleteCommand extends ApiCommand {
  @Option(names = "--node-id", required = true)
  long nodeId;

  @Override
  public Integer call() {
    // Neon's two warning lines, on standard error.
    warn("Warning: This command is obsolete and will be removed in a future version");
    warn("Use `node-start-delete` instead, if possible");
    return done(api().delete("/control/v1/node/" + nodeId), "node " + nodeId + " deleted");
  }
}
