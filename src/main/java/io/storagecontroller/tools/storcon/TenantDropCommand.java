package io.storagecontroller.tools.storcon;

import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code storcon tenant-drop}: forget a tenant without touching the pageservers. */
@Command(
    name = "tenant-drop",
    mixinStandardHelpOptions = true,
    sortOptions = false,
    description = {
      "Uncleanly drop a tenant from the controller: nothing is deleted from the pageservers (for a"
          + " tenant id that does not really exist here, say). Needs --unclean."
    })
final class TenantDropCommand extends ApiCommand {
  @Option(names = "--tenant-id", required = true)
  String tenantId;

  @Option(names = "--unclean", description = "Confirm the unclean drop.")
  boolean unclean;

  @Override
  public Integer call() {
    if (!unclean) {
      return refused(
          "This command is not a tenant deletion, and uncleanly drops all controller state for"
              + " the tenant.  If you know what you're doing, add `--unclean` to proceed.");
    }
    return done(
        api().post("/debug/v1/tenant/" + tenantId + "/drop", null),
        "tenant " + tenantId + " dropped");
  }
}
