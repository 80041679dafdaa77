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
      "Migrate a tenant shard's attached location to a node, then, as Neon's, print where it is"
          + " every 5 s until it is attached there and reconciled."
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

  /** Not Neon's: Neon's always waits; return once the controller has accepted the move. */
  @Option(names = "--no-wait", description = "Return once the migration is requested.")
  boolean noWait;

  /** Not Neon's: waiting used to be asked for; it is the default now, kept for scripts. */
  @Option(names = "--wait", hidden = true, description = "Wait (the default).")
  boolean await;

  @Option(
      names = "--timeout",
      converter = HumanDurationConverter.class,
      description = "Give up waiting after this long (default: wait until done, as Neon's).")
  Duration timeout;

  @Override
  public Integer call() {
    if (await && noWait) {
      throw new ParameterException(spec.commandLine(), "--wait and --no-wait contradict");
    }
    ObjectNode body =
        new TenantShardMigrateRequest(node, originNodeId, prewarm, overrideScheduler).toJson();
    TenantShardId shardId;
    try {
      shardId = TenantShardId.parse(tenantShardId);
    } catch (IllegalArgumentException e) {
      throw new ParameterException(spec.commandLine(), "--tenant-shard-id: " + e.getMessage());
    }
    // The operation's target is the shard id's canonical spelling, as Neon prints the id.
    String target = shardId.toString();
    OperationsApi operations = operations();
    long before = operations.newestId();
    JsonNode answer;
    try {
      answer = api().put("/control/v1/tenant/" + tenantShardId + "/migrate", body);
    } catch (ApiFailure e) {
      if (e.status() != 412) {
        throw e;
      }
      // Neon's message, naming the flag that overrides the scheduler (Neon's says `--force`).
      throw new ApiFailure(
          412,
          "Migration to "
              + node
              + " rejected, may require `--override-scheduler true` ("
              + e.getMessage()
              + ")");
    }
    if (noWait) {
      return done(answer, "migration of " + target + " to node " + node + " requested");
    }
    return watch(shardId, operations, before);
  }

  /**
   * Neon's {@code watch_tenant_shard(.., Some(node))}: a line every 5 s until the shard is attached
   * to the node and its reconciler idle. Ours also stops (exit 1) when the migration's operation
   * fails or is cancelled, which would leave the shard where it was and Neon's waiting forever.
   */
  private int watch(TenantShardId shardId, OperationsApi operations, long before) {
    String target = shardId.toString();
    if (!json()) {
      out().println("Waiting for tenant shard " + target + " to be migrated to node " + node);
    }
    Instant end = timeout == null ? null : Instant.now().plus(timeout);
    Optional<JsonNode> operation = Optional.empty();
    while (true) {
      JsonNode shard = TenantShardWatchCommand.shard(api(), shardId);
      if (!json()) {
        out().println(TenantShardWatchCommand.summary(shard));
        out().flush();
      }
      if (shard.path("node_attached").asLong(-1) == node
          && !shard.path("is_reconciling").asBoolean(false)) {
        return done(shard, "Tenant shard " + target + " is now on node " + node);
      }
      operation =
          operation.isPresent()
              ? Optional.of(operations.get(operation.get().path("id").asLong()))
              : operations.startedAfter(before, "migrate", target);
      if (operation.isPresent()
          && !operation.get().path("state").asString("").equals("running")
          && !OperationsApi.succeeded(operation.get())) {
        return finished(operation.get());
      }
      long pause = TenantShardWatchCommand.INTERVAL.toMillis();
      if (end != null) {
        Duration left = Duration.between(Instant.now(), end);
        if (left.isNegative()) {
          throw new ApiFailure(0, target + " is not on node " + node + " after " + timeout);
        }
        pause = Math.min(pause, left.toMillis() + 1);
      }
      try {
        Thread.sleep(pause);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new ApiFailure(0, "interrupted");
      }
    }
  }
}
