package io.storagecontroller.tools.storcon;

import io.storagecontroller.model.TenantId;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ObjectNode;

/**
 * {@code storcon tenant-shard-split}: splits a tenant into more shards. The route answers when the
 * split is done; meanwhile the split's operation is drawn as a progress bar.
 */
@Command(
    name = "tenant-shard-split",
    mixinStandardHelpOptions = true,
    sortOptions = false,
    description = "Split a tenant into more shards, showing the split's progress while it runs.")
final class TenantShardSplitCommand extends ApiCommand {
  @Option(names = "--tenant-id", required = true)
  String tenantId;

  @Option(names = "--shard-count", required = true, description = "The new number of shards.")
  int shardCount;

  @Option(
      names = "--stripe-size",
      description = "New stripe size in 8 KiB pages (only when splitting an unsharded tenant).")
  Integer stripeSize;

  @Override
  public Integer call() throws InterruptedException {
    ObjectNode body = ControllerApi.object();
    body.put("new_shard_count", shardCount);
    if (stripeSize != null) {
      body.put("new_stripe_size", stripeSize);
    }
    String target;
    try {
      // The split's operation names the tenant in its canonical spelling.
      target = TenantId.parse(tenantId).toString();
    } catch (IllegalArgumentException e) {
      throw new ParameterException(spec.commandLine(), "--tenant-id: " + e.getMessage());
    }
    OperationsApi operations = operations();
    long before = operations.newestId();
    CompletableFuture<JsonNode> split =
        api().sendAsync("PUT", "/control/v1/tenant/" + tenantId + "/shard_split", body);
    ProgressBar bar = progressBar();
    Optional<JsonNode> operation = Optional.empty();
    JsonNode answer;
    while (true) {
      try {
        answer = split.get(OperationsApi.POLL.toMillis(), TimeUnit.MILLISECONDS);
        break;
      } catch (TimeoutException stillSplitting) {
        operation =
            operation.isPresent()
                ? Optional.of(operations.get(operation.get().path("id").asLong()))
                : operations.startedAfter(before, "split", target);
        operation.ifPresent(bar::draw);
      } catch (ExecutionException e) {
        Throwable cause =
            e.getCause() instanceof CompletionException c ? c.getCause() : e.getCause();
        throw cause instanceof RuntimeException r ? r : new ApiFailure(0, String.valueOf(cause));
      }
    }
    // A quick split may answer before its operation was seen: draw its end all the same.
    operation =
        operation.isPresent()
            ? Optional.of(operations.get(operation.get().path("id").asLong()))
            : operations.startedAfter(before, "split", target);
    operation.ifPresent(bar::finish);
    if (json()) {
      printJson(answer);
      return CommandLine.ExitCode.OK;
    }
    List<String> shards = new ArrayList<>();
    answer.path("new_shards").forEach(s -> shards.add(s.asString()));
    out().println("tenant " + tenantId + " split into " + shardCount + " shards");
    Table table = new Table("Shard");
    shards.forEach(table::row);
    table.print(out());
    return CommandLine.ExitCode.OK;
  }
}
