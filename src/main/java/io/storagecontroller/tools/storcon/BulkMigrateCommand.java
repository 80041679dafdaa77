package io.storagecontroller.tools.storcon;

import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ObjectNode;

/**
 * {@code storcon bulk-migrate}: Neon's client-side drain of several nodes at once. It marks them
 * Draining, then migrates each shard attached to one of them to the nodes that may take shards,
 * round robin, a few migrations at a time. Unlike {@code node-drain} there is no operation: the
 * migrations are the controller's, the plan is this command's.
 */
@Command(
    name = "bulk-migrate",
    mixinStandardHelpOptions = true,
    sortOptions = false,
    description = {
      "Migrate the attached shards away from a set of nodes onto the other Active nodes, round"
          + " robin. The nodes are set to Draining first (even with --dry-run true, as in Neon) and"
          + " stay so.",
      "Exit 1 if any migration was refused."
    })
final class BulkMigrateCommand extends ApiCommand {
  /** Neon's {@code DEFAULT_MIGRATE_CONCURRENCY}. */
  static final int DEFAULT_CONCURRENCY = 8;

  /** A progress line every this many migrations, as Neon's. */
  static final int REPORT_EVERY = 20;

  @Option(
      names = "--nodes",
      paramLabel = "NODE_ID",
      description = "A node to migrate away from; repeat for each (--nodes 1 --nodes 2).")
  List<Long> nodes = new ArrayList<>();

  @Option(
      names = "--concurrency",
      paramLabel = "N",
      description = "Migrations requested at once (default: " + DEFAULT_CONCURRENCY + ").")
  Integer concurrency;

  @Option(
      names = "--max-shards",
      paramLabel = "N",
      description = "Plan at most this many migrations.")
  Integer maxShards;

  @Option(
      names = "--dry-run",
      arity = "1",
      paramLabel = "BOOL",
      description = "true: print the plan and migrate nothing.")
  Boolean dryRun;

  /** One planned migration. */
  record Move(String tenantShardId, long from, long to) {}

  @Override
  public Integer call() {
    Set<Long> draining = new LinkedHashSet<>(nodes);
    List<JsonNode> toDrain = new ArrayList<>();
    List<Long> toFill = new ArrayList<>();
    for (JsonNode node : api().get("/control/v1/node")) {
      long id = node.path("id").asLong();
      if (draining.contains(id)) {
        toDrain.add(node);
      } else if (node.path("availability").asString("").equals("Active")
          && List.of("Active", "Filling").contains(node.path("scheduling").asString(""))) {
        toFill.add(id);
      }
    }
    if (toDrain.size() != draining.size()) {
      return refused("Bulk migration requested away from node which doesn't exist.");
    }
    if (toFill.isEmpty()) {
      return refused("There are no nodes to migrate to");
    }
    for (long id : draining) {
      ObjectNode config = ControllerApi.object();
      config.put("node_id", id);
      config.putNull("availability");
      config.put("scheduling", "Draining");
      api().put("/control/v1/node/" + id + "/config", config);
    }

    List<Move> moves = plan(draining, toFill);
    if (Boolean.TRUE.equals(dryRun)) {
      if (json()) {
        printJson(ControllerApi.JSON.valueToTree(moves));
        return CommandLine.ExitCode.OK;
      }
      out().println("Dryrun requested. Planned " + moves.size() + " moves:");
      moves.forEach(m -> out().println(m.tenantShardId() + ": " + m.from() + " -> " + m.to()));
      out().flush();
      return CommandLine.ExitCode.OK;
    }
    return migrate(moves);
  }

  /** Each shard attached to a draining node, to the next node that may take it. */
  private List<Move> plan(Set<Long> draining, List<Long> toFill) {
    List<Move> moves = new ArrayList<>();
    int next = 0;
    for (JsonNode tenant : api().get("/control/v1/tenant")) {
      for (JsonNode shard : tenant.path("shards")) {
        if (maxShards != null && moves.size() >= maxShards) {
          if (!json()) {
            out().println("Stop planning shard moves since the requested maximum was reached");
          }
          return moves;
        }
        JsonNode attached = shard.path("node_attached");
        if (attached.isNumber() && draining.contains(attached.asLong())) {
          moves.add(
              new Move(
                  shard.path("tenant_shard_id").asString(), attached.asLong(), toFill.get(next)));
          next = (next + 1) % toFill.size();
        }
      }
    }
    return moves;
  }

  private int migrate(List<Move> moves) {
    ExecutorService pool =
        Executors.newFixedThreadPool(concurrency == null ? DEFAULT_CONCURRENCY : concurrency);
    List<Future<?>> requests = new ArrayList<>();
    ControllerApi api = api();
    try {
      for (Move move : moves) {
        requests.add(
            pool.submit(
                () ->
                    api.put(
                        "/control/v1/tenant/" + move.tenantShardId() + "/migrate",
                        TenantShardMigrateRequest.withDefaults(move.to(), move.from()).toJson())));
      }
      int succeeded = 0;
      List<String> failures = new ArrayList<>();
      for (int i = 0; i < moves.size(); i++) {
        Move move = moves.get(i);
        try {
          requests.get(i).get();
          succeeded++;
        } catch (ExecutionException e) {
          String failure =
              "Failed to migrate "
                  + move.tenantShardId()
                  + " from node "
                  + move.from()
                  + " to node "
                  + move.to()
                  + ": "
                  + e.getCause().getMessage();
          failures.add(failure);
          if (!json()) {
            out().println(failure);
          }
        } catch (InterruptedException e) {
          Thread.currentThread().interrupt();
          throw new ApiFailure(0, "interrupted");
        }
        if ((i + 1) % REPORT_EVERY == 0 && !json()) {
          out().println(progress(i + 1, moves.size(), succeeded, failures.size()));
          out().flush();
        }
      }
      ObjectNode summary = ControllerApi.object();
      summary.put("planned", moves.size());
      summary.put("succeeded", succeeded);
      summary.set("failed", ControllerApi.JSON.valueToTree(failures));
      done(summary, progress(moves.size(), moves.size(), succeeded, failures.size()));
      return failures.isEmpty() ? CommandLine.ExitCode.OK : CommandLine.ExitCode.SOFTWARE;
    } finally {
      pool.shutdownNow();
    }
  }

  private static String progress(int processed, int total, int succeeded, int failed) {
    return "Processed "
        + processed
        + "/"
        + total
        + " shards: "
        + succeeded
        + " succeeded, "
        + failed
        + " failed";
  }
}
