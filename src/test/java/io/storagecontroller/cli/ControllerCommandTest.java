package io.storagecontroller.cli;

import static org.assertj.core.api.Assertions.assertThat;

import io.storagecontroller.Main;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import picocli.CommandLine;

class ControllerCommandTest {
  record Run(int status, String out, String err) {}

  static Run run(String... args) {
    StringWriter out = new StringWriter();
    StringWriter err = new StringWriter();
    int status = Main.run(args, new PrintWriter(out), new PrintWriter(err));
    return new Run(status, out.toString(), err.toString());
  }

  @ParameterizedTest
  @CsvSource(
      delimiter = '|',
      value = {
        "--listen|nonsense|--listen",
        "--listen|127.0.0.1:99999|--listen",
        "--max-offline-interval|5 parsecs|--max-offline-interval",
        "--heartbeat-interval|soon|--heartbeat-interval",
        "--reconciler-concurrency|lots|--reconciler-concurrency",
        "--reconciler-concurrency|0|--reconciler-concurrency",
        "--tenant-rate-limit|-1|--tenant-rate-limit",
        "--kick-secondary-downloads|maybe|--kick-secondary-downloads",
        "--embedded-temporal-retention|forever|--embedded-temporal-retention",
        "--optimiser-interval|often|--optimiser-interval",
        "--control-loop-interval|0s|--control-loop-interval",
        "--max-secondary-lag-bytes|-1|--max-secondary-lag-bytes",
        "--max-split-shards|256|--max-split-shards",
        "--initial-split-shards|-1|--initial-split-shards",
        "--split-threshold|-5|--split-threshold",
        "--initial-split-threshold|lots|--initial-split-threshold",
      })
  void malformedValueExitsTwoWithOneLineNamingTheFlag(String flag, String value, String named) {
    Run r = run(flag, value);
    assertThat(r.status()).isEqualTo(Main.USAGE_ERROR).isEqualTo(2);
    assertThat(r.err().strip().lines()).hasSize(1);
    assertThat(r.err()).contains(named);
  }

  @Test
  void aCandidateWithoutASharedDatabaseExitsTwoNamingTheFlag() {
    Run r = run("--start-as-candidate", "--dev");
    assertThat(r.status()).isEqualTo(2);
    assertThat(r.err().strip().lines()).hasSize(1);
    assertThat(r.err()).contains("--start-as-candidate", "--database-url");
  }

  /** With an external Temporal the namespace's retention applies; the flag would do nothing. */
  @Test
  void anEmbeddedRetentionWithAnExternalTemporalExitsTwoNamingBothFlags() {
    Run r =
        run("--dev", "--temporal-target", "127.0.0.1:7233", "--embedded-temporal-retention", "5m");
    assertThat(r.status()).isEqualTo(2);
    assertThat(r.err().strip().lines()).hasSize(1);
    assertThat(r.err()).contains("--embedded-temporal-retention", "--temporal-target");
  }

  /** HTTPS files are read before anything starts: one that cannot serve refuses the start. */
  @ParameterizedTest
  @CsvSource(
      delimiter = '|',
      value = {
        "--ssl-ca-file|/nonexistent/ca.pem|--ssl-ca-file",
        "--ssl-ca-file|src/test/resources/tls/test-server.key|no PEM certificate",
        "--ssl-cert-file|src/test/resources/tls/test-server.crt|--listen-https",
        "--ssl-key-file|src/test/resources/tls/test-server.key|--listen-https",
        // Neon's defaults, server.crt and server.key, are not in the working directory.
        "--listen-https|127.0.0.1:1443|server.crt",
      })
  void unusableTlsFilesExitTwoNamingWhatIsWrong(String flag, String value, String named) {
    Run r = run("--dev", flag, value);
    assertThat(r.status()).isEqualTo(2);
    assertThat(r.err().strip().lines()).hasSize(1);
    assertThat(r.err()).contains(named);
  }

  @Test
  void aKeyThatIsNotAKeyRefusesHttps() {
    Run r =
        run(
            "--dev",
            "--listen-https",
            "127.0.0.1:1443",
            "--ssl-cert-file",
            "src/test/resources/tls/test-server.crt",
            "--ssl-key-file",
            "src/test/resources/tls/test-ca.crt");
    assertThat(r.status()).isEqualTo(2);
    assertThat(r.err()).contains("--listen-https", "test-ca.crt", "private key");
  }

  /** Neon's launcher passes these; each is accepted with one warning naming it. */
  @Test
  void neonLocalsFlagsAreAcceptedWithAWarningEach() {
    ControllerCommand command = new ControllerCommand();
    CommandLine cli = new CommandLine(command);
    cli.parseArgs(
        "--dev",
        "--neon-local-repo-dir",
        "/tmp/neon",
        "--use-local-compute-notifications",
        "--timeline-safekeeper-count",
        "1",
        "--timelines-onto-safekeepers",
        "--kick-secondary-downloads",
        "false");
    assertThat(command.configuration()).containsEntry("storage-controller.dev", true);
    assertThat(UnsupportedFlags.warnings(cli.getParseResult()))
        .hasSize(4)
        .allSatisfy(w -> assertThat(w).contains("accepted for compatibility only"))
        .anySatisfy(w -> assertThat(w).startsWith("--neon-local-repo-dir"))
        .anySatisfy(w -> assertThat(w).startsWith("--timelines-onto-safekeepers"));
  }

  @Test
  void strictModeRefusesNeonLocalsDevOnlySettings() {
    assertThat(run("--use-local-compute-notifications").err())
        .contains("--use-local-compute-notifications");
    Run fewSafekeepers = run("--dev", "--timeline-safekeeper-count", "0");
    assertThat(fewSafekeepers.status()).isEqualTo(2);
    assertThat(fewSafekeepers.err()).contains("--timeline-safekeeper-count");
  }

  @Test
  void unknownFlagExitsTwoNamingIt() {
    Run r = run("--no-such-flag");
    assertThat(r.status()).isEqualTo(2);
    assertThat(r.err().strip().lines()).hasSize(1);
    assertThat(r.err()).contains("--no-such-flag");
  }

  @Test
  void helpListsEveryFlag() {
    Run r = run("--help");
    assertThat(r.status()).isZero();
    CommandLine cli =
        ControllerCommand.commandLine(
            new PrintWriter(new StringWriter()), new PrintWriter(new StringWriter()));
    cli.getCommandSpec()
        .options()
        .forEach(option -> assertThat(r.out()).contains(option.longestName()));
    assertThat(r.out())
        .contains("--listen", "--database-url", "--public-key", "--jwt-token")
        .contains("--control-plane-jwt-token", "--control-plane-url", "--max-offline-interval")
        .contains("--heartbeat-interval", "--reconciler-concurrency", "--dev", "--data-dir")
        .contains("--temporal-target", "--temporal-namespace")
        .doesNotContain("attachment_service");
  }

  @Test
  void flagsBecomeSpringProperties() {
    ControllerCommand command = new ControllerCommand();
    new CommandLine(command)
        .parseArgs(
            "--listen",
            "0.0.0.0:4321",
            "--max-offline-interval",
            "1m 30s",
            "--heartbeat-interval",
            "500ms",
            "--database-url",
            "postgresql://u:p@db:5432/storcon",
            "--temporal-target",
            "temporal:7233",
            "--temporal-namespace",
            "storcon",
            "--compute-hook-url",
            "http://cplane/notify",
            "--optimiser-interval",
            "5s",
            "--control-loop-interval",
            "2s",
            "--max-secondary-lag-bytes",
            "1048576",
            "--dev");
    Map<String, Object> p = command.springProperties();
    assertThat(p)
        .containsEntry("server.address", "0.0.0.0")
        .containsEntry("server.port", 4321)
        .containsEntry("storage-controller.max-offline-interval", "PT1M30S")
        .containsEntry("storage-controller.heartbeat-interval", "PT0.5S")
        .containsEntry("storage-controller.database-url", "postgresql://u:p@db:5432/storcon")
        .containsEntry("spring.temporal.test-server.enabled", false)
        .containsEntry("spring.temporal.connection.target", "temporal:7233")
        .containsEntry("spring.temporal.namespace", "storcon")
        .containsEntry("storage-controller.control-plane-url", "http://cplane/notify")
        .containsEntry("storage-controller.optimiser-interval", "PT5S")
        .containsEntry("storage-controller.control-loop-interval", "PT2S")
        .containsEntry("storage-controller.max-secondary-lag-bytes", 1048576L)
        .containsEntry("storage-controller.dev", true);
  }

  @Test
  void defaultsAreTheEmbeddedOnes() {
    ControllerCommand command = new ControllerCommand();
    new CommandLine(command).parseArgs();
    Map<String, Object> p = command.springProperties();
    assertThat(p)
        .containsEntry("server.address", "127.0.0.1")
        .containsEntry("server.port", 1234)
        .containsEntry("storage-controller.data-dir", ".storage_controller")
        .containsEntry("storage-controller.max-offline-interval", "PT30S")
        .containsEntry("storage-controller.heartbeat-interval", "PT5S")
        .containsEntry("storage-controller.reconciler-concurrency", 128)
        .containsEntry("storage-controller.embedded-temporal-retention", "PT10S")
        .containsEntry("storage-controller.optimiser-interval", "PT20S")
        .containsEntry("storage-controller.control-loop-interval", "PT20S")
        .doesNotContainKey("storage-controller.max-secondary-lag-bytes")
        .doesNotContainKey("spring.temporal.connection.target");
    if (System.getenv("DATABASE_URL") == null) {
      assertThat(p).doesNotContainKey("storage-controller.database-url");
    }
  }

  @Test
  void listenAddressForms() {
    assertThat(ListenAddress.parse("127.0.0.1:1234"))
        .isEqualTo(new ListenAddress("127.0.0.1", 1234));
    assertThat(ListenAddress.parse("[::1]:80")).isEqualTo(new ListenAddress("::1", 80));
    assertThat(ListenAddress.parse("[::1]:80").toString()).isEqualTo("[::1]:80");
  }
}
