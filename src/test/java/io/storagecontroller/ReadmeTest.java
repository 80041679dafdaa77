package io.storagecontroller;

import static org.assertj.core.api.Assertions.assertThat;

import io.storagecontroller.cli.ControllerCommand;
import io.storagecontroller.tools.storcon.StorconCommand;
import io.storagecontroller.tools.storcon.Terminal;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import picocli.CommandLine;
import picocli.CommandLine.Model.OptionSpec;

/** The README's tables of flags and commands say what the command lines accept, no more. */
class ReadmeTest {
  static final List<String> README = lines();

  static List<String> lines() {
    try {
      return Files.readAllLines(Path.of("README.md"));
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** The lines of the first table under the heading that starts with this text. */
  static List<String> table(String heading) {
    List<String> rows = new ArrayList<>();
    boolean in = false;
    for (String line : README) {
      if (line.startsWith("#")) {
        if (!rows.isEmpty()) {
          break;
        }
        in = line.replaceFirst("^#+ ", "").startsWith(heading);
      } else if (in && line.startsWith("|")) {
        rows.add(line);
      } else if (in && !rows.isEmpty()) {
        break;
      }
    }
    assertThat(rows).as("a table under '%s'", heading).hasSizeGreaterThan(2);
    return rows.subList(2, rows.size());
  }

  /** Every {@code --flag} in the first cells of the rows. */
  static List<String> flagsInFirstColumn(List<String> rows) {
    List<String> flags = new ArrayList<>();
    Pattern flag = Pattern.compile("(?<![\\w-])(--?[a-zA-Z][\\w-]*)");
    for (String row : rows) {
      Matcher m = flag.matcher(row.split("(?<!\\\\)\\|")[1]);
      while (m.find()) {
        flags.add(m.group(1));
      }
    }
    return flags;
  }

  @Test
  void theFlagTableIsTheControllersFlags() {
    CommandLine cli =
        ControllerCommand.commandLine(
            new PrintWriter(new StringWriter()), new PrintWriter(new StringWriter()));
    List<String> documented = flagsInFirstColumn(table("Command line"));
    List<String> names = new ArrayList<>();
    for (OptionSpec option : cli.getCommandSpec().options()) {
      names.addAll(List.of(option.names()));
      assertThat(documented)
          .as("README documents %s", option.longestName())
          .contains(option.longestName());
    }
    assertThat(names).as("flags in the README that the command lacks").containsAll(documented);
  }

  @Test
  void theStorconTableIsItsCommands() {
    CommandLine storcon =
        StorconCommand.commandLine(
            new PrintWriter(new StringWriter()),
            new PrintWriter(new StringWriter()),
            new Terminal(80, false));
    List<String> documented = new ArrayList<>();
    for (String row : table("Operating it: storcon")) {
      documented.add(row.split("`")[1]);
    }
    List<String> commands =
        storcon.getSubcommands().entrySet().stream()
            .filter(e -> e.getKey().equals(e.getValue().getCommandName()))
            .map(e -> e.getKey())
            .toList();
    assertThat(documented).containsExactlyInAnyOrderElementsOf(commands);
  }

  /** The performance table is the one the benchmark generated with its committed results. */
  @Test
  void theBenchmarkTableIsTheCommittedResults() throws IOException {
    String generated = Files.readString(Path.of("docs", "bench", "bench-results.md"));
    assertThat(String.join("\n", README) + "\n").contains(generated);
    assertThat(Files.readString(Path.of("docs", "bench", "bench-results.json")))
        .contains(
            "\"create_tenants\"",
            "\"restart_to_ready\"",
            "\"generation_rate_vs_database_ceiling\"");
  }

  @Test
  void theQuickStartIsStillTwoCommands() {
    String text = String.join("\n", README);
    assertThat(text).contains("bin/storage_controller --dev", "./mvnw verify");
  }
}
