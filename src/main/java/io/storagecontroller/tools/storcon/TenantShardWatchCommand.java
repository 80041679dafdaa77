package io.storagecontroller.tools.storcon;

import io.storagecontroller.model.TenantShardId;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import tools.jackson.databind.JsonNode;

/**
 * {@code storcon tenant-shard-watch}: a line every 5 s with where a shard is attached and whether
 * it is reconciling, until interrupted (Ctrl-C), as Neon's.
 */
@Command(
    name = "tenant-shard-watch",
    mixinStandardHelpOptions = true,
    sortOptions = false,
    description = {
      "Watch the location of a tenant shard evolve, e.g. while expecting it to migrate: a line"
          + " every 5 s until interrupted."
    })
final class TenantShardWatchCommand extends ApiCommand {
  /** Neon's {@code WATCH_INTERVAL}. */
  static final Duration INTERVAL = Duration.ofSeconds(5);

  @Option(
      names = "--tenant-shard-id",
      required = true,
      description = "The shard, e.g. 1f35...f6fc-0004, or a tenant id when unsharded.")
  String tenantShardId;

  /** Not Neon's: lets a script (or a test) take a bounded number of looks. */
  @Option(names = "--polls", hidden = true, description = "Stop after this many lines.")
  Long polls;

  @Override
  public Integer call() {
    TenantShardId shardId;
    try {
      shardId = TenantShardId.parse(tenantShardId);
    } catch (IllegalArgumentException e) {
      throw new ParameterException(spec.commandLine(), "--tenant-shard-id: " + e.getMessage());
    }
    for (long seen = 1; ; seen++) {
      JsonNode shard = shard(api(), shardId);
      if (json()) {
        printJson(shard);
      } else {
        out().println(summary(shard));
        out().flush();
      }
      if (polls != null && seen >= polls) {
        return CommandLine.ExitCode.OK;
      }
      try {
        Thread.sleep(INTERVAL.toMillis());
      } catch (InterruptedException e) {
        // Interrupted is how a watch ends.
        Thread.currentThread().interrupt();
        return CommandLine.ExitCode.OK;
      }
    }
  }

  /** The shard as its tenant's description has it; Neon's error when the tenant lacks it. */
  static JsonNode shard(ControllerApi api, TenantShardId shardId) {
    String id = shardId.toString();
    for (JsonNode shard : api.get("/control/v1/tenant/" + shardId.tenantId()).path("shards")) {
      if (shard.path("tenant_shard_id").asString("").equals(id)) {
        return shard;
      }
    }
    throw new ApiFailure(0, "Tenant shard " + id + " not found");
  }

  /** Neon's line: {@code attached: 2 secondary: 1,3 (reconciler idle)}. */
  static String summary(JsonNode shard) {
    JsonNode attached = shard.path("node_attached");
    List<String> secondaries = new ArrayList<>();
    shard.path("node_secondary").forEach(n -> secondaries.add(n.asString()));
    return "attached: "
        + (attached.isNumber() ? attached.asString() : "none")
        + " secondary: "
        + String.join(",", secondaries)
        + " "
        + (shard.path("is_reconciling").asBoolean(false)
            ? "(reconciler active)"
            : "(reconciler idle)");
  }
}
