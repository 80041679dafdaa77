package io.storagecontroller.tools.storcon;

import picocli.CommandLine.Command;

/** {@code storcon consistency-check}: memory against the database against the scheduler. */
@Command(
    name = "consistency-check",
    mixinStandardHelpOptions = true,
    description = {
      "Compare the controller's memory with its database and the scheduler's counts.",
      "Meant for an idle system: refused (409) while reconciles run. Exit 1 on a mismatch."
    })
final class ConsistencyCheckCommand extends ApiCommand {
  @Override
  public Integer call() {
    return done(api().post("/debug/v1/consistency_check", null), "consistent");
  }
}
