package io.storagecontroller.tools.storcon;

import picocli.CommandLine.Command;
import tools.jackson.databind.JsonNode;

/** {@code storcon reconcile-all}: run the reconcile sweep now. */
@Command(
    name = "reconcile-all",
    mixinStandardHelpOptions = true,
    description = "Reconcile now every tenant whose pageservers differ from its intent.")
final class ReconcileAllCommand extends ApiCommand {
  @Override
  public Integer call() {
    JsonNode count = api().post("/debug/v1/reconcile_all", null);
    return done(count, count.asLong() + " reconciles requested");
  }
}
