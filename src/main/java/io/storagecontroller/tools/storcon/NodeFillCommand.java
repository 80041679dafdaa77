package io.storagecontroller.tools.storcon;

import picocli.CommandLine.Command;

/** {@code storcon node-fill}: move shards back onto a node after maintenance. */
@Command(
    name = "node-fill",
    aliases = "start-fill",
    mixinStandardHelpOptions = true,
    sortOptions = false,
    description = {
      "Fill a node: move shards whose preferred home it is back onto it, then make it Active.",
      "With --wait, follow it with a progress bar; --cancel stops a running fill."
    })
final class NodeFillCommand extends NodeOperationCommand {
  @Override
  String kind() {
    return "fill";
  }
}
