package io.storagecontroller.tools.storcon;

import picocli.CommandLine.Command;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ObjectNode;

/** {@code storcon set-tenant-config}: replace a tenant's pageserver config. */
@Command(
    name = "set-tenant-config",
    mixinStandardHelpOptions = true,
    sortOptions = false,
    description = {
      "Set the pageserver tenant configuration of a tenant (passed through to its pageservers; it"
          + " does not change how the controller behaves). Any previous config is overwritten."
    })
final class SetTenantConfigCommand extends TenantConfigCommand {
  @Override
  JsonNode send(ObjectNode request) {
    return api().put("/v1/tenant/config", request);
  }

  @Override
  String verb() {
    return "set";
  }
}
