package io.storagecontroller.tools.storcon;

import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ObjectNode;

/** {@code storcon tenant-policy}: a tenant's placement and scheduling policies. */
@Command(
    name = "tenant-policy",
    mixinStandardHelpOptions = true,
    sortOptions = false,
    description = "Set a tenant's placement and/or scheduling policy (every shard).")
final class TenantPolicyCommand extends ApiCommand {
  @Option(names = "--tenant-id", required = true)
  String tenantId;

  @Option(
      names = "--placement",
      converter = ApiSpelling.Placement.class,
      description = "detached, secondary, or attached:N (attached with N secondaries).")
  JsonNode placement;

  @Option(
      names = "--scheduling",
      converter = ApiSpelling.ShardScheduling.class,
      description =
          "active; essential (no optimisations); pause (no scheduling changes); stop (no"
              + " reconciles either). pause and stop are for emergencies.")
  String scheduling;

  @Override
  public Integer call() {
    if (placement == null && scheduling == null) {
      throw new ParameterException(spec.commandLine(), "give --placement, --scheduling or both");
    }
    ObjectNode body = ControllerApi.object();
    body.set("placement", placement);
    body.put("scheduling", scheduling);
    return done(
        api().put("/control/v1/tenant/" + tenantId + "/policy", body),
        "tenant "
            + tenantId
            + " policy set"
            + (placement == null ? "" : ": placement " + Describe.placement(placement))
            + (scheduling == null
                ? ""
                : (placement == null ? ": " : ", ") + "scheduling " + scheduling));
  }
}
