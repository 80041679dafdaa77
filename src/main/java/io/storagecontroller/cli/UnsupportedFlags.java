package io.storagecontroller.cli;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import picocli.CommandLine.ParseResult;

/**
 * Neon's flags this controller does not act on: those that Neon's launcher ({@code neon_local})
 * passes for what this controller does not manage (safekeepers, neon_local's own computes) are
 * accepted with one start-up warning each, so that Neon's tooling can start it. Every other flag
 * does what {@code --help} says ({@code EveryFlagDoesSomethingTest}).
 */
final class UnsupportedFlags {
  private UnsupportedFlags() {}

  /** Accepted, with a warning: what the flag would do in Neon that this controller does not. */
  static final Map<String, String> COMPATIBILITY_ONLY = new LinkedHashMap<>();

  static {
    COMPATIBILITY_ONLY.put(
        "--neon-local-repo-dir", "neon_local's computes are not reconfigured by this controller");
    COMPATIBILITY_ONLY.put(
        "--use-local-compute-notifications",
        "neon_local's computes are not reconfigured by this controller; compute notifications go"
            + " only to --control-plane-url");
    COMPATIBILITY_ONLY.put(
        "--timeline-safekeeper-count", "this controller does not manage safekeepers");
    COMPATIBILITY_ONLY.put(
        "--timelines-onto-safekeepers", "this controller does not manage safekeepers");
    COMPATIBILITY_ONLY.put(
        "--use-https-safekeeper-api", "this controller does not manage safekeepers");
    COMPATIBILITY_ONLY.put(
        "--safekeeper-reconciler-concurrency", "this controller does not manage safekeepers");
  }

  /** One warning per compatibility-only flag given. */
  static List<String> warnings(ParseResult given) {
    List<String> warnings = new ArrayList<>();
    for (Map.Entry<String, String> flag : COMPATIBILITY_ONLY.entrySet()) {
      if (given.hasMatchedOption(flag.getKey())) {
        warnings.add(flag.getKey() + " is accepted for compatibility only: " + flag.getValue());
      }
    }
    return warnings;
  }
}
