package io.storagecontroller.tools.storcon;

import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.NullNode;

/** {@code storcon tenant-delete}: the tenant, its locations and its remote data. */
@Command(
    name = "tenant-delete",
    mixinStandardHelpOptions = true,
    description = {
      "Delete a tenant: detach every location, delete its remote data, forget it.",
      "A tenant that is not there (404) counts as deleted, as in Neon."
    })
final class TenantDeleteCommand extends ApiCommand {
  @Option(names = "--tenant-id", required = true)
  String tenantId;

  @Override
  public Integer call() {
    JsonNode answer;
    try {
      answer = api().delete("/v1/tenant/" + tenantId);
    } catch (ApiFailure failure) {
      // As Neon's: deleting what is not there (any more) has the effect asked for.
      if (failure.status() != 404) {
        throw failure;
      }
      return done(NullNode.getInstance(), "tenant " + tenantId + " not found: nothing to delete");
    }
    return done(answer, "tenant " + tenantId + " deleted");
  }
}
