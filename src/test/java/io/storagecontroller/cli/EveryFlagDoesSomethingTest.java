package io.storagecontroller.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import picocli.CommandLine;
import picocli.CommandLine.Model.OptionSpec;

/**
 * Every flag in {@code --help} does what it says, or says it does not: given a value other than its
 * default, it changes the service's configuration; or it is one of Neon's flags accepted for
 * compatibility only, with a warning naming it; or (a short, named list) its effect is outside the
 * configuration and the test named beside it shows it. A new flag that fits none of these fails
 * here.
 */
class EveryFlagDoesSomethingTest {
  /** Flags whose effect is not a configuration value, and where it is shown. */
  static final Map<String, String> SHOWN_ELSEWHERE =
      Map.of(
          "--secrets-manager", "SecretsManagerTest: missing secrets read from the secrets manager",
          "--help", "picocli's usage help",
          "--version", "picocli's version help");

  static Stream<String> flags() {
    return new CommandLine(new ControllerCommand())
        .getCommandSpec().options().stream().map(OptionSpec::longestName);
  }

  @ParameterizedTest
  @MethodSource("flags")
  void theFlagChangesTheConfigurationOrSaysWhyNot(String flag) {
    if (SHOWN_ELSEWHERE.containsKey(flag)) {
      return;
    }
    if (UnsupportedFlags.COMPATIBILITY_ONLY.containsKey(flag)) {
      CommandLine line = new CommandLine(new ControllerCommand());
      line.parseArgs(args("--dev", flag, sample(flag)));
      assertThat(UnsupportedFlags.warnings(line.getParseResult()))
          .anyMatch(w -> w.startsWith(flag + " is accepted for compatibility only"));
      return;
    }
    // --dev is what every other row runs with; its own row compares against no flag at all.
    String base = flag.equals("--dev") ? null : "--dev";
    Map<String, Object> defaults = parse(base).springProperties();
    Map<String, Object> given = parse(base, flag, sample(flag)).springProperties();
    assertThat(given).as("configuration with %s %s", flag, sample(flag)).isNotEqualTo(defaults);
  }

  private static ControllerCommand parse(String... args) {
    ControllerCommand command = new ControllerCommand();
    new CommandLine(command).parseArgs(args(args));
    return command;
  }

  private static String[] args(String... args) {
    List<String> out = new ArrayList<>();
    for (String arg : args) {
      if (arg != null) {
        out.add(arg);
      }
    }
    return out.toArray(String[]::new);
  }

  /** A value other than the flag's default, of its type; null for a flag that takes none. */
  private static String sample(String flag) {
    OptionSpec option = new CommandLine(new ControllerCommand()).getCommandSpec().findOption(flag);
    if (option.arity().max() == 0) {
      return null;
    }
    Class<?> type = option.type();
    if (flag.equals("--kick-secondary-downloads")) {
      return "true";
    }
    if (flag.equals("--timeline-safekeeper-count")) {
      return "1";
    }
    if (type == Duration.class) {
      return "7s";
    }
    if (type == int.class || type == Integer.class || type == long.class || type == Long.class) {
      return "7";
    }
    if (type == boolean.class || type == Boolean.class) {
      return String.valueOf(!Boolean.parseBoolean(option.defaultValue()));
    }
    if (type == Path.class) {
      return "/tmp/elsewhere";
    }
    if (type == ListenAddress.class) {
      return "127.0.0.1:4321";
    }
    return "http://127.0.0.1:7/sample";
  }
}
