package io.storagecontroller.tools.storcon;

import picocli.CommandLine.Command;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ObjectNode;

/** {@code storcon patch-tenant-config}: change some fields of a tenant's pageserver config. */
@Command(
    name = "patch-tenant-config",
    mixinStandardHelpOptions = true,
    sortOptions = false,
    description = {
      "Patch the pageserver tenant configuration of a tenant: fields with non-null values are set,"
          + " fields given as null are unset, the others are left as they are."
    })
final class PatchTenantConfigCommand extends TenantConfigCommand {
  @Override
  JsonNode send(ObjectNode request) {
    return api().patch("/v1/tenant/config", request);
  }

  @Override
  String verb() {
    return "patched";
  }
}
