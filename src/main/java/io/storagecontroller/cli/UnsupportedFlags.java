package io.storagecontroller.cli;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Predicate;
import picocli.CommandLine.ParseResult;

/**
 * Neon's flags this controller does not act on. A flag whose effect an operator relies on (HTTPS,
 * automatic splits) is refused at start-up, never accepted and ignored. Flags that Neon's launcher
 * ({@code neon_local}) passes for what this controller does not manage (safekeepers, neon_local's
 * own computes) are accepted with one start-up warning each, so Neon's tooling can start it.
 */
final class UnsupportedFlags {
  private UnsupportedFlags() {}

  /** Refused when given: the reason names what to do instead. */
  static final Map<String, String> REFUSED = new LinkedHashMap<>();

  /** Accepted, with a warning: what the flag would do in Neon that this controller does not. */
  static final Map<String, String> COMPATIBILITY_ONLY = new LinkedHashMap<>();

  static {
    REFUSED.put("--listen-https", "HTTPS is not served yet; put a TLS proxy in front of --listen");
    REFUSED.put("--ssl-cert-file", "HTTPS is not served yet");
    REFUSED.put("--ssl-key-file", "HTTPS is not served yet");
    REFUSED.put("--ssl-ca-file", "pageservers are called over plain HTTP only so far");
    REFUSED.put("--use-https-pageserver-api", "pageservers are called over plain HTTP only so far");
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

  /**
   * The first refused flag given, with why. {@code --kick-secondary-downloads} is refused only as
   * {@code true}: {@code false} is what this controller does.
   */
  static Optional<String> refusal(ParseResult given, boolean kickSecondaryDownloads) {
    Predicate<String> matched = given::hasMatchedOption;
    for (Map.Entry<String, String> flag : REFUSED.entrySet()) {
      if (matched.test(flag.getKey())) {
        return Optional.of(flag.getKey() + " is not supported: " + flag.getValue());
      }
    }
    if (kickSecondaryDownloads) {
      return Optional.of(
          "--kick-secondary-downloads true is not supported: heatmap uploads and downloads are"
              + " not triggered yet");
    }
    return Optional.empty();
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
