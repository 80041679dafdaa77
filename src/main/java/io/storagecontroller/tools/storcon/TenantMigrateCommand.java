package io.storagecontroller.tools.storcon;

import io.storagecontroller.cli.HumanDurationConverter;
import io.storagecontroller.model.TenantShardId;
import java.time.Duration;
import java.time.Instant;
import java.util.Optional;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ObjectNode;

/** {@code storcon tenant-migrate}: move a shard's attachment to another pageserver. */
@Command(
    name = "tenant-migrate",
    aliases = "tenant-shard-migrate",
    mixinStandardHelpOptions = true,
    sortOptions = false,
    description = {
      "Migrate a tenant shard's attached location to a node.",
      "With --wait, follow it until the shard is attached there and reconciled."
    })
final class TenantMigrateCommand extends ApiCommand {
  @Option(
      names = "--tenant-shard-id",
      required = true,
      description = "The shard, e.g. 1f35...f6fc-0004, or a tenant id when unsharded.")
  String tenantShardId;

  @Option(
      names = {"--node", "--node-id"},
      required = true,
      description = "The destination node.")
  long node;

  @Option(names = "--origin-node-id", description = "Refuse (412) unless attached here now.")
  Long originNodeId;

  @Option(
      names = "--prewarm",
      arity = "1",
      defaultValue = "true",
      description = "Warm a secondary at the destination first: true or false (default: true).")
  boolean prewarm;

  @Option(
      names = "--override-scheduler",
      arity = "0..1",
      fallbackValue = "true",
      defaultValue = "false",
      description = "Migrate even to a node the scheduler would refuse.")
  boolean overrideScheduler;

  @Option(names = "--wait", description = "Follow the migration to its end.")
  boolean await;

  @Option(
      names = "--timeout",
      converter = HumanDurationConverter.class,
      defaultValue = "10m",
      description = "With --wait: give up after this long (default: ${DEFAULT-VALUE}).")
  Duration timeout;

  @Override
  public Integer call() {
    ObjectNode body =
        new TenantShardMigrateRequest(node, originNodeId, prewarm, overrideScheduler).toJson();
    String target;
    try {
      // The operation's target is the shard id's canonical spelling.
      target = TenantShardId.parse(tenantShardId).toString();
    } catch (IllegalArgumentException e) {
      throw new ParameterException(spec.commandLine(), "--tenant-shard-id: " + e.getMessage());
    }
    OperationsApi operations = operations();
    long before = operations.newestId();
    JsonNode answer = api().put("/control/v1/tenant/" + tenantShardId + "/migrate", body);
    String started = "migration of " + tenantShardId + " to node " + node;
    if (!await) {
      return done(answer, started + " requested");
    }
    // A live migration (prewarm) is an operation to follow; a direct one shows in the shards.
    Optional<JsonNode> operation = operations.startedAfter(before, "migrate", target);
    if (operation.isPresent()) {
      return finished(
          operations.follow(operation.get().path("id").asLong(), progressBar(), timeout));
    }
    JsonNode shard = awaitAttached();
    return done(shard, tenantShardId + " attached to node " + node);
  }

  /** Reads the tenant until the shard is attached to the destination and not reconciling. */
  private JsonNode awaitAttached() {
    String tenant =
        tenantShardId.contains("-")
            ? tenantShardId.substring(0, tenantShardId.indexOf('-'))
            : tenantShardId;
    Instant end = Instant.now().plus(timeout);
    while (true) {
      for (JsonNode shard : api().get("/control/v1/tenant/" + tenant).path("shards")) {
        if (shard.path("tenant_shard_id").asString().equals(tenantShardId)
            && shard.path("node_attached").asLong(-1) == node
            && !shard.path("is_reconciling").asBoolean(false)) {
          return shard;
        }
      }
      if (Instant.now().isAfter(end)) {
        throw new ApiFailure(
            0, tenantShardId + " is not attached to node " + node + " after " + timeout);
      }
      OperationsApi.pause();
    }
  }
}
