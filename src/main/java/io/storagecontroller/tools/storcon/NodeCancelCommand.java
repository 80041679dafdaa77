package io.storagecontroller.tools.storcon;

import io.storagecontroller.cli.HumanDurationConverter;
import io.storagecontroller.model.HumanDuration;
import java.time.Duration;
import java.time.Instant;
import picocli.CommandLine.Option;
import tools.jackson.databind.JsonNode;

/**
 * Neon's {@code cancel-drain}, {@code cancel-fill} and {@code node-cancel-delete}: {@code DELETE
 * /control/v1/node/:id/<kind>}, then the node is read until its scheduling policy says the
 * operation stopped, within {@code --timeout}. Neon's contract is the node's policy, not the
 * operation: so is this one's ({@code node-drain --cancel --wait} follows the operation instead).
 */
abstract class NodeCancelCommand extends ApiCommand {
  @Option(names = "--node-id", required = true, description = "The node.")
  long nodeId;

  @Option(
      names = "--timeout",
      required = true,
      converter = HumanDurationConverter.class,
      description =
          "How long to wait for the node's scheduling policy to settle, e.g. 30s; on timeout"
              + " exit 1 (the cancel may be retried).")
  Duration timeout;

  /** {@code drain}, {@code fill} or {@code delete}: the route's last segment. */
  abstract String kind();

  /** Whether the node's scheduling policy (the API's spelling) shows the operation stopped. */
  abstract boolean settled(String scheduling);

  @Override
  public Integer call() {
    api().delete("/control/v1/node/" + nodeId + "/" + kind());
    warn("Waiting for node " + nodeId + " to quiesce on scheduling policy ...");
    Instant end = Instant.now().plus(timeout);
    while (true) {
      JsonNode node = api().get("/control/v1/node/" + nodeId);
      String scheduling = node.path("scheduling").asString("");
      if (settled(scheduling)) {
        String what = Character.toUpperCase(kind().charAt(0)) + kind().substring(1);
        return done(
            node,
            what
                + " was cancelled for node "
                + nodeId
                + ". Scheduling policy is now "
                + scheduling);
      }
      if (Instant.now().isAfter(end)) {
        throw new ApiFailure(
            0,
            "node "
                + nodeId
                + " is still "
                + scheduling
                + " after "
                + HumanDuration.format(timeout)
                + "; the cancel may be retried");
      }
      OperationsApi.pause();
    }
  }
}
