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
    // Neon's layout: a title line, a table without header, "Shards:" and the shards' table.
    out().println("Tenant " + tenant.path("tenant_id").asString());
    Table.withoutHeader(2)
        .row("Policy", Describe.placement(tenant.path("policy")))
        .row("Stripe size", Describe.stripeSize(tenant.path("stripe_size")))
        .row("Config", Describe.prettyJson(tenant.path("config")))
        .print(out());
    out().println("Shards:");
    Table shards =
        new Table("Shard", "Attached", "Attached AZ", "Secondary", "Last error", "status");
    for (JsonNode shard : tenant.path("shards")) {
      JsonNode attached = shard.path("node_attached");
      JsonNode node = attached.isNumber() ? nodes.get(attached.asLong()) : null;
      List<String> secondaries = new ArrayList<>();
      shard.path("node_secondary").forEach(n -> secondaries.add(n.asString()));
      shards.row(
          shard.path("tenant_shard_id").asString(),
          // Neon's "host (id)", with the port as in the nodes table.
          !attached.isNumber()
              ? ""
              : node == null
                  ? attached.asString()
                  : node.path("listen_http_addr").asString()
                      + ":"
                      + node.path("listen_http_port").asInt()
                      + " ("
                      + attached.asString()
                      + ")",
          node == null ? "" : node.path("availability_zone_id").asString(""),
          String.join(",", secondaries),
          shard.path("last_error").asString(""),
          Describe.status(shard));
    }
    shards.print(out());
    return CommandLine.ExitCode.OK;
  }
}
