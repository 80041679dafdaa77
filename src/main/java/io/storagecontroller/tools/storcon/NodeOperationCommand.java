package io.storagecontroller.tools.storcon;

import io.storagecontroller.cli.HumanDurationConverter;
import java.time.Duration;
import java.util.Optional;
import picocli.CommandLine.Option;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.NullNode;

/**
 * A drain, fill or deletion: started with {@code PUT /control/v1/node/:id/<kind>}, cancelled with
 * {@code DELETE} on the same path, and followed through the operation it creates.
 */
abstract class NodeOperationCommand extends ApiCommand {
  @Option(names = "--node-id", required = true, description = "The node.")
  long nodeId;

  @Option(
      names = "--wait",
      description =
          "Follow the operation to its end with a progress bar; exit 1 unless it" + " succeeds.")
  boolean await;

  @Option(names = "--cancel", description = "Cancel the running one instead of starting one.")
  boolean cancel;

  @Option(
      names = "--timeout",
      converter = HumanDurationConverter.class,
      description = "With --wait: stop following after this long (e.g. 10m); default: no limit.")
  Duration timeout;

  /** {@code drain}, {@code fill} or {@code delete}: the route's last segment and the kind. */
  abstract String kind();

  /** A query string for the start request, if the command has options for it. */
  String startQuery() {
    return "";
  }

  @Override
  public Integer call() {
    String path = "/control/v1/node/" + nodeId + "/" + kind();
    String target = "node/" + nodeId;
    OperationsApi operations = operations();
    if (cancel) {
      Optional<JsonNode> running =
          operations.startedAfter(0, kind(), target).filter(NodeOperationCommand::isRunning);
      api().delete(path);
      if (await && running.isPresent()) {
        JsonNode last =
            operations.follow(running.get().path("id").asLong(), progressBar(), timeout);
        String state = last.path("state").asString();
        // The operation stopped as asked, or ended by itself first: either way nothing runs.
        if (!state.equals("failed")) {
          return done(last, kind() + " of node " + nodeId + " " + state);
        }
        return finished(last);
      }
      return done(
          running.orElse(NullNode.getInstance()),
          "cancel requested for the " + kind() + " of node " + nodeId);
    }
    long before = operations.newestId();
    api().put(path + startQuery(), null);
    Optional<JsonNode> started = operations.awaitStarted(before, kind(), target);
    if (started.isEmpty()) {
      return done(NullNode.getInstance(), kind() + " of node " + nodeId + " requested");
    }
    long id = started.get().path("id").asLong();
    if (!await) {
      return done(
          started.get(),
          kind()
              + " of node "
              + nodeId
              + " started: operation "
              + id
              + "; follow it with: storcon operations watch "
              + id);
    }
    return finished(operations.follow(id, progressBar(), timeout));
  }

  private static boolean isRunning(JsonNode operation) {
    return operation.path("state").asString("").equals("running");
  }
}
