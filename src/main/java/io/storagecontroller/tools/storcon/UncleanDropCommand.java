package io.storagecontroller.tools.storcon;

import picocli.CommandLine.Option;

/**
 * {@code node-drop} and {@code tenant-drop}: the controller forgets something without any of the
 * work that normally goes with it, so, as Neon's, they refuse unless {@code --unclean} confirms.
 */
abstract class UncleanDropCommand extends ApiCommand {
  @Option(names = "--unclean", description = "Confirm the unclean drop.")
  boolean unclean;

  /** Neon's refusal without {@code --unclean}. */
  abstract String warning();

  /** The drop route. */
  abstract String path();

  /** What it drops, e.g. "node 3". */
  abstract String what();

  @Override
  public Integer call() {
    if (!unclean) {
      return refused(warning() + "  If you know what you're doing, add `--unclean` to proceed.");
    }
    return done(api().post(path(), null), what() + " dropped");
  }
}
