package io.storagecontroller.tools.storcon;

import picocli.CommandLine.Command;
import picocli.CommandLine.Parameters;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.JsonNodeFactory;

/** {@code storcon optimiser [status|pause|resume]}: see, pause or resume the optimiser. */
@Command(
    name = "optimiser",
    mixinStandardHelpOptions = true,
    description = {
      "Show the background optimiser (status, the default), or pause or resume it.",
      "A pause is kept by the controller across restarts; migrations already begun finish."
    })
final class OptimiserCommand extends ApiCommand {
  enum Action {
    status,
    pause,
    resume
  }

  @Parameters(
      index = "0",
      arity = "0..1",
      defaultValue = "status",
      description = "status, pause or resume (default: ${DEFAULT-VALUE}).")
  Action action;

  @Override
  public Integer call() {
    JsonNode state =
        action == Action.status
            ? api().get("/control/v1/optimiser")
            : api()
                .put(
                    "/control/v1/optimiser",
                    JsonNodeFactory.instance.objectNode().put("paused", action == Action.pause));
    return done(state, describe(state));
  }

  private static String describe(JsonNode state) {
    if (!state.path("enabled").asBoolean()) {
      return "optimiser: off (--optimiser-interval 0s)";
    }
    String idle =
        state.path("idle_because").isString() ? state.get("idle_because").asString() : null;
    return "optimiser: "
        + (state.path("paused").asBoolean() ? "paused" : "running")
        + ", a pass every "
        + state.path("interval").asLong()
        + " s while nothing moves"
        + (idle == null ? "" : "; planning nothing: " + idle);
  }
}
