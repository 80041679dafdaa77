package io.storagecontroller.tools.storcon;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import tools.jackson.databind.JsonNode;

/** {@code storcon tenant-describe}: a tenant's policy, config and every shard's locations. */
@Command(
    name = "tenant-describe",
    mixinStandardHelpOptions = true,
    description = "Show a tenant: its policy, stripe size and config, and each shard's locations.")
final class TenantDescribeCommand extends ApiCommand {
  @Option(names = "--tenant-id", required = true)
  String tenantId;

  @Override
  public Integer call() {
    JsonNode tenant = api().get("/control/v1/tenant/" + tenantId);
    if (json()) {
      printJson(tenant);
      return CommandLine.ExitCode.OK;
    }
    Map<Long, JsonNode> nodes = new HashMap<>();
    for (JsonNode node : api().get("/control/v1/node")) {
      nodes.put(node.path("id").asLong(), node);
    }
    List<String[]> details = new ArrayList<>();
    details.add(new String[] {"Tenant", tenant.path("tenant_id").asString()});
    details.add(new String[] {"Policy", Describe.placement(tenant.path("policy"))});
    details.add(new String[] {"Stripe size", tenant.path("stripe_size").asString("")});
    details.add(
        new String[] {"Config", ControllerApi.JSON.writeValueAsString(tenant.path("config"))});
    Table.details(out(), details);
    out().println();
    Table shards = new Table("shard", "attached", "az", "secondary", "status", "last error");
    for (JsonNode shard : tenant.path("shards")) {
      JsonNode attached = shard.path("node_attached");
      JsonNode node = attached.isNumber() ? nodes.get(attached.asLong()) : null;
      List<String> secondaries = new ArrayList<>();
      shard.path("node_secondary").forEach(n -> secondaries.add(n.asString()));
      shards.row(
          shard.path("tenant_shard_id").asString(),
          !attached.isNumber()
              ? ""
              : node == null
                  ? attached.asString()
                  : attached.asString()
                      + " ("
                      + node.path("listen_http_addr").asString()
                      + ":"
                      + node.path("listen_http_port").asInt()
                      + ")",
          node == null ? "" : node.path("availability_zone_id").asString(""),
          String.join(",", secondaries),
          Describe.status(shard),
          shard.path("last_error").asString(""));
    }
    shards.print(out());
    return CommandLine.ExitCode.OK;
  }
}
