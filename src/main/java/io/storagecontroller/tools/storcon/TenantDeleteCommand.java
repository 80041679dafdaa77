package io.storagecontroller.tools.storcon;

import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code storcon tenant-delete}: the tenant, its locations and its remote data. */
@Command(
    name = "tenant-delete",
    mixinStandardHelpOptions = true,
    description = "Delete a tenant: detach every location, delete its remote data, forget it.")
final class TenantDeleteCommand extends ApiCommand {
  @Option(names = "--tenant-id", required = true)
  String tenantId;

  @Override
  public Integer call() {
    return done(api().delete("/v1/tenant/" + tenantId), "tenant " + tenantId + " deleted");
  }
}
