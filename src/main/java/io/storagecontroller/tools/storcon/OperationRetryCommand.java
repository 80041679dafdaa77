package io.storagecontroller.tools.storcon;

import io.storagecontroller.cli.HumanDurationConverter;
import java.time.Duration;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import tools.jackson.databind.JsonNode;

/** {@code storcon operations retry ID}: run a failed or cancelled operation again. */
@Command(
    name = "retry",
    mixinStandardHelpOptions = true,
    description = {
      "Run a failed or cancelled operation again, as a new operation on the same target.",
      "With --wait, follow the new one to its end."
    })
final class OperationRetryCommand extends ApiCommand {
  @Parameters(paramLabel = "ID", description = "The failed or cancelled operation's id.")
  long id;

  @Option(names = "--wait", description = "Follow the new operation; exit 1 unless it succeeds.")
  boolean await;

  @Option(
      names = "--timeout",
      converter = HumanDurationConverter.class,
      description = "With --wait: stop following after this long; default: no limit.")
  Duration timeout;

  @Override
  public Integer call() {
    JsonNode retried = api().post("/control/v1/operations/" + id + "/retry", null);
    long newId = retried.path("id").asLong();
    if (!await) {
      return done(
          retried,
          "operation "
              + id
              + " retried as operation "
              + newId
              + "; follow it with: storcon"
              + " operations watch "
              + newId);
    }
    return finished(operations().follow(newId, progressBar(), timeout));
  }
}
