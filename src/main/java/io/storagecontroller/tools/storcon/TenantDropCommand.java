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
final class TenantDropCommand extends UncleanDropCommand {
  @Option(names = "--tenant-id", required = true)
  String tenantId;

  @Override
  String warning() {
    return "This command is not a tenant deletion, and uncleanly drops all controller state for"
        + " the tenant.";
  }

  @Override
  String path() {
    return "/debug/v1/tenant/" + tenantId + "/drop";
  }

  @Override
  String what() {
    return "tenant " + tenantId;
  }
}
