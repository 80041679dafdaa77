package io.storagecontroller.tools.storcon;

import io.storagecontroller.model.TenantShardId;
import java.util.ArrayList;
import java.util.List;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Parameters;
import tools.jackson.databind.JsonNode;

/** {@code storcon tenants}: every tenant, or the shards on one node. */
@Command(
    name = "tenants",
    mixinStandardHelpOptions = true,
    description = {
      "List tenants: preferred AZ, shard count, stripe size, placement, scheduling, and where"
          + " each shard is attached.",
      "With a NODE_ID (or --node-id), list the shards on that node instead."
    })
final class TenantsCommand extends ApiCommand {
  /** The page size the controller serves at most. */
  static final int PAGE = 1000;

  @Parameters(
      arity = "0..1",
      paramLabel = "NODE_ID",
      description = "List the shards this node holds or should hold (Neon's spelling).")
  Long nodeIdArgument;

  @Option(names = "--node-id", paramLabel = "NODE_ID", description = "The same as NODE_ID.")
  Long nodeIdOption;

  @Override
  public Integer call() {
    if (nodeIdArgument != null && nodeIdOption != null && !nodeIdArgument.equals(nodeIdOption)) {
      throw new ParameterException(
          spec.commandLine(), "NODE_ID and --node-id name different nodes");
    }
    Long nodeId = nodeIdArgument != null ? nodeIdArgument : nodeIdOption;
    if (nodeId != null) {
      return nodeShards(nodeId);
    }
    List<JsonNode> tenants = new ArrayList<>();
    String startAfter = null;
    while (true) {
      JsonNode page =
          api()
              .get(
                  "/control/v1/tenant?limit="
                      + PAGE
                      + (startAfter == null ? "" : "&start_after=" + startAfter));
      page.forEach(tenants::add);
      if (page.size() < PAGE) {
        break;
      }
      startAfter = page.get(page.size() - 1).path("tenant_id").asString();
    }
    if (json()) {
      printJson(ControllerApi.JSON.valueToTree(tenants));
      return CommandLine.ExitCode.OK;
    }
    // Neon's columns, then ours: where each shard is attached.
    Table table =
        new Table(
            "TenantId",
            "Preferred AZ",
            "ShardCount",
            "StripeSize",
            "Placement",
            "Scheduling",
            "Attached");
    for (JsonNode tenant : tenants) {
      JsonNode shards = tenant.path("shards");
      JsonNode zero = shards.path(0);
      List<String> attached = new ArrayList<>();
      shards.forEach(
          s ->
              attached.add(
                  s.path("node_attached").isNumber() ? s.path("node_attached").asString() : "-"));
      table.row(
          tenant.path("tenant_id").asString(),
          zero.path("preferred_az_id").asString(""),
          // As Neon's: the shard count's literal, 0 for an unsharded tenant.
          TenantShardId.parse(zero.path("tenant_shard_id").asString()).shardCount().literal(),
          Describe.stripeSize(tenant.path("stripe_size")),
          Describe.placement(tenant.path("policy")),
          zero.path("scheduling_policy").asString(""),
          String.join(",", attached));
    }
    table.print(out());
    return CommandLine.ExitCode.OK;
  }

  private int nodeShards(long nodeId) {
    JsonNode response = api().get("/control/v1/node/" + nodeId + "/shards");
    if (json()) {
      printJson(response);
      return CommandLine.ExitCode.OK;
    }
    Table table = new Table("Shard", "Intended Primary/Secondary", "Observed Primary/Secondary");
    for (JsonNode shard : response.path("shards")) {
      table.row(
          shard.path("tenant_shard_id").asString(),
          Describe.role(shard.path("is_intended_secondary")),
          Describe.role(shard.path("is_observed_secondary")));
    }
    table.print(out());
    return CommandLine.ExitCode.OK;
  }
}
