package io.storagecontroller.tools.storcon;

import java.util.Set;
import java.util.TreeSet;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ObjectNode;

/** {@code storcon tenant-set-preferred-az}: the AZ every shard of a tenant should live in. */
@Command(
    name = "tenant-set-preferred-az",
    mixinStandardHelpOptions = true,
    sortOptions = false,
    description = {
      "Set the preferred AZ of every shard of a tenant (the optimiser then moves them there), or"
          + " without --preferred-az clear it."
    })
final class TenantSetPreferredAzCommand extends ApiCommand {
  @Option(names = "--tenant-id", required = true)
  String tenantId;

  @Option(
      names = "--preferred-az",
      paramLabel = "AZ",
      description = "An AZ some node is in; omitted: clear the preference.")
  String preferredAz;

  @Override
  public Integer call() {
    JsonNode tenant = api().get("/control/v1/tenant/" + tenantId);
    Set<String> azs = new TreeSet<>();
    api().get("/control/v1/node").forEach(n -> azs.add(n.path("availability_zone_id").asString()));
    if (preferredAz != null && !azs.contains(preferredAz)) {
      return refused("AZ " + preferredAz + " not found on any node: known AZs are: " + azs);
    }
    if (preferredAz == null) {
      // Omitting the flag clears: say so, since that may not be what was meant.
      warn("Clearing preferred AZ for tenant " + tenantId);
    }
    ObjectNode request = ControllerApi.object();
    for (JsonNode shard : tenant.path("shards")) {
      request.put(shard.path("tenant_shard_id").asString(), preferredAz);
    }
    return done(
        api().put("/control/v1/preferred_azs", request),
        preferredAz == null
            ? "preferred AZ of tenant " + tenantId + " cleared"
            : "preferred AZ of tenant " + tenantId + " set to " + preferredAz);
  }
}
