package io.storagecontroller.tools.storcon;

import java.security.SecureRandom;
import java.util.HexFormat;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ObjectNode;

/** {@code storcon tenant-create}: a tenant, placed and attached on the pageservers. */
@Command(
    name = "tenant-create",
    mixinStandardHelpOptions = true,
    sortOptions = false,
    description = "Create a tenant (POST /v1/tenant) and show where its shards went.")
final class TenantCreateCommand extends ApiCommand {
  @Option(names = "--tenant-id", description = "The new tenant's id; default: a random one.")
  String tenantId;

  @Option(
      names = "--shard-count",
      defaultValue = "0",
      description = "Number of shards; 0 is unsharded (default: ${DEFAULT-VALUE}).")
  int shardCount;

  @Option(
      names = "--stripe-size",
      description = "Stripe size in 8 KiB pages; default: the controller's (2048, 16 MiB).")
  Integer stripeSize;

  @Option(
      names = "--placement",
      defaultValue = "attached:1",
      converter = ApiSpelling.Placement.class,
      description = "detached, secondary or attached:N (default: ${DEFAULT-VALUE}).")
  JsonNode placement;

  @Option(
      names = "--config",
      paramLabel = "JSON",
      converter = TenantConfigJson.class,
      description = "Tenant config fields as a JSON object, e.g. '{\"gc_period\":\"1h\"}'.")
  ObjectNode config;

  @Override
  public Integer call() {
    String id = tenantId != null ? tenantId : HexFormat.of().formatHex(randomBytes());
    ObjectNode body = ControllerApi.object();
    if (config != null) {
      body.setAll(config);
    }
    body.put("new_tenant_id", id);
    if (shardCount > 0 || stripeSize != null) {
      ObjectNode shards = body.putObject("shard_parameters");
      shards.put("count", shardCount);
      if (stripeSize != null) {
        shards.put("stripe_size", stripeSize);
      }
    }
    body.set("placement_policy", placement);
    JsonNode created = api().post("/v1/tenant", body);
    if (json()) {
      printJson(created);
      return CommandLine.ExitCode.OK;
    }
    out().println("tenant " + id + " created");
    Table table = new Table("Shard", "Node", "Generation");
    for (JsonNode shard : created.path("shards")) {
      table.row(
          shard.path("shard_id").asString(),
          shard.path("node_id").asString(""),
          shard.path("generation").asString(""));
    }
    table.print(out());
    return CommandLine.ExitCode.OK;
  }

  private static byte[] randomBytes() {
    byte[] bytes = new byte[16];
    new SecureRandom().nextBytes(bytes);
    return bytes;
  }
}
