package io.storagecontroller.tools.storcon;

import io.storagecontroller.cli.HumanDurationConverter;
import java.time.Duration;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code storcon operations watch ID}: follow one operation to its end. */
@Command(
    name = "watch",
    mixinStandardHelpOptions = true,
    description =
        "Follow an operation with a progress bar until it ends; exit 1 unless it succeeds.")
final class OperationWatchCommand extends ApiCommand {
  @Parameters(paramLabel = "ID", description = "The operation's id.")
  long id;

  @Option(
      names = "--timeout",
      converter = HumanDurationConverter.class,
      description = "Stop following after this long (e.g. 10m); default: no limit.")
  Duration timeout;

  @Override
  public Integer call() {
    return finished(operations().follow(id, progressBar(), timeout));
  }
}
