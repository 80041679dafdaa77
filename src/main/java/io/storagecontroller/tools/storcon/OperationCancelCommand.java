package io.storagecontroller.tools.storcon;

import io.storagecontroller.cli.HumanDurationConverter;
import java.time.Duration;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import tools.jackson.databind.JsonNode;

/** {@code storcon operations cancel ID}: ask a running operation to stop. */
@Command(
    name = "cancel",
    mixinStandardHelpOptions = true,
    description = {
      "Cancel a running operation: its workflow stops at its next step boundary.",
      "With --wait, follow it until it has stopped."
    })
final class OperationCancelCommand extends ApiCommand {
  @Parameters(paramLabel = "ID", description = "The operation's id.")
  long id;

  @Option(names = "--wait", description = "Follow the operation until it has stopped.")
  boolean await;

  @Option(
      names = "--timeout",
      converter = HumanDurationConverter.class,
      description = "With --wait: stop following after this long; default: no limit.")
  Duration timeout;

  @Override
  public Integer call() {
    JsonNode answer = api().post("/control/v1/operations/" + id + "/cancel", null);
    if (!await) {
      return done(answer, "cancel requested for operation " + id);
    }
    JsonNode last = operations().follow(id, progressBar(), timeout);
    return done(last, "operation " + id + " " + last.path("state").asString());
  }
}
