package io.storagecontroller.tools.storcon;

import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
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
final class PatchTenantConfigCommand extends ApiCommand {
  @Option(names = "--tenant-id", required = true)
  String tenantId;

  @Option(
      names = "--config",
      required = true,
      paramLabel = "JSON",
      converter = TenantConfigJson.class,
      description = "The fields to change, e.g. '{\"pitr_interval\":\"1m\",\"gc_period\":null}'.")
  ObjectNode config;

  @Override
  public Integer call() {
    return done(
        api().patch("/v1/tenant/config", SetTenantConfigCommand.request(tenantId, config)),
        "config of tenant " + tenantId + " patched");
  }
}
