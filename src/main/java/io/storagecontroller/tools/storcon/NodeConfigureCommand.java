package io.storagecontroller.tools.storcon;

import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import tools.jackson.databind.node.ObjectNode;

/** {@code storcon node-configure}: a node's availability or scheduling policy. */
@Command(
    name = "node-configure",
    mixinStandardHelpOptions = true,
    sortOptions = false,
    description = "Set a node's availability and/or scheduling policy.")
final class NodeConfigureCommand extends ApiCommand {
  @Option(names = "--node-id", required = true)
  long nodeId;

  @Option(
      names = "--availability",
      converter = ApiSpelling.Availability.class,
      description =
          "active or offline. Availability follows heartbeats; offline marks a node down by hand.")
  String availability;

  @Option(
      names = "--scheduling",
      converter = ApiSpelling.NodeScheduling.class,
      description =
          "active, pause or pause-for-restart: whether shards may be scheduled onto the node.")
  String scheduling;

  @Override
  public Integer call() {
    if (availability == null && scheduling == null) {
      throw new ParameterException(spec.commandLine(), "give --availability, --scheduling or both");
    }
    ObjectNode body = ControllerApi.object();
    body.put("node_id", nodeId);
    body.put("availability", availability);
    body.put("scheduling", scheduling);
    return done(
        api().put("/control/v1/node/" + nodeId + "/config", body),
        "node "
            + nodeId
            + " configured"
            + (availability == null ? "" : ": availability " + availability)
            + (scheduling == null
                ? ""
                : (availability == null ? ": " : ", ") + "scheduling " + scheduling));
  }
}
