package io.storagecontroller.auth;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.storagecontroller.Main;
import io.storagecontroller.cli.ControllerCommand;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyPair;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;
import picocli.CommandLine.ParameterException;

/**
 * Without {@code --dev} the controller refuses to start while a secret or the control-plane URL is
 * missing: exit status 2 and one line, before anything starts. No secret is echoed.
 */
class StrictModeTest {
  static final KeyPair KEYS = Ed25519Keys.generate();
  static final String PEM = Ed25519Keys.publicPem(KEYS.getPublic());
  static final String TOKEN = "secret-pageserver-token-4711";
  static final String CP_TOKEN = "secret-control-plane-token-4712";

  record Run(int status, String out, String err) {}

  static Run run(String... args) {
    StringWriter out = new StringWriter();
    StringWriter err = new StringWriter();
    int status = Main.run(args, new PrintWriter(out), new PrintWriter(err));
    return new Run(status, out.toString(), err.toString());
  }

  /** The settings the command line would start the service with (nothing is started). */
  static Map<String, Object> configuration(String... args) {
    CommandLine cli =
        ControllerCommand.commandLine(
            new PrintWriter(new StringWriter()), new PrintWriter(new StringWriter()));
    cli.parseArgs(args);
    return cli.<ControllerCommand>getCommand().configuration();
  }

  static List<String> all(String... extra) {
    List<String> args =
        new ArrayList<>(
            List.of(
                "--listen", "127.0.0.1:0",
                "--public-key", PEM,
                "--jwt-token", TOKEN,
                "--control-plane-jwt-token", CP_TOKEN,
                "--control-plane-url", "http://cplane/notify"));
    args.addAll(List.of(extra));
    return args;
  }

  @Test
  void missingControlPlaneUrlRefusesToStartWithOneLine() {
    // Whatever secrets the environment gives, --control-plane-url has no variable.
    Run r = run("--listen", "127.0.0.1:0", "--jwt-token", TOKEN);
    assertThat(r.status()).isEqualTo(2);
    assertThat(r.err().strip().lines()).hasSize(1);
    assertThat(r.err()).contains("--dev").contains("--control-plane-url").doesNotContain(TOKEN);
  }

  @Test
  void eachMissingPieceIsNamed() {
    List<String> args = all();
    for (String flag :
        List.of(
            "--public-key", "--jwt-token", "--control-plane-jwt-token", "--control-plane-url")) {
      List<String> without = new ArrayList<>(args);
      int at = without.indexOf(flag);
      without.remove(at + 1);
      without.remove(at);
      if (System.getenv(envOf(flag)) != null) {
        continue;
      }
      assertThatThrownBy(() -> configuration(without.toArray(String[]::new)))
          .isInstanceOf(ParameterException.class)
          .hasMessageContaining(flag)
          .hasMessageNotContaining(TOKEN)
          .hasMessageNotContaining(CP_TOKEN);
    }
  }

  static String envOf(String flag) {
    return switch (flag) {
      case "--public-key" -> "PUBLIC_KEY";
      case "--jwt-token" -> "PAGESERVER_JWT_TOKEN";
      case "--control-plane-jwt-token" -> "CONTROL_PLANE_JWT_TOKEN";
      default -> "NO_SUCH_VARIABLE_" + flag.hashCode();
    };
  }

  @Test
  void everythingGivenStartsWithoutDev() {
    Map<String, Object> p = configuration(all().toArray(String[]::new));
    assertThat(p)
        .containsEntry("storage-controller.public-key", PEM)
        .containsEntry("storage-controller.jwt-token", TOKEN)
        .containsEntry("storage-controller.control-plane-jwt-token", CP_TOKEN)
        .containsEntry("storage-controller.dev", false);
  }

  @Test
  void devAllowsMissingSecrets() {
    if (System.getenv("PUBLIC_KEY") == null) {
      assertThat(configuration("--dev")).doesNotContainKey("storage-controller.public-key");
    }
  }

  @Test
  void publicKeyFileIsReadAndABadKeyRefused(@TempDir Path dir) throws Exception {
    Path file = dir.resolve("auth_public_key.pem");
    Files.writeString(file, PEM);
    List<String> args = all();
    args.set(args.indexOf("--public-key") + 1, file.toString());
    assertThat(configuration(args.toArray(String[]::new)))
        .containsEntry("storage-controller.public-key", PEM);

    String notAKey = "-----BEGIN PUBLIC KEY-----\nc2VjcmV0LXNlY3JldA==\n-----END PUBLIC KEY-----\n";
    Run bad = run("--dev", "--public-key", notAKey);
    assertThat(bad.status()).isEqualTo(2);
    assertThat(bad.err().strip().lines()).hasSize(1);
    assertThat(bad.err()).contains("--public-key").doesNotContain("c2VjcmV0");
    Run missing = run("--dev", "--public-key", dir.resolve("nope.pem").toString());
    assertThat(missing.status()).isEqualTo(2);
    assertThat(missing.err()).contains("nope.pem");
  }

  @Test
  void strictModeListsWhatIsMissing() {
    assertThat(StrictMode.missing("k", "t", "c", "u")).isEmpty();
    assertThat(StrictMode.missing(null, " ", "c", null))
        .containsExactly(
            "--public-key (or PUBLIC_KEY)",
            "--jwt-token (or PAGESERVER_JWT_TOKEN)",
            "--control-plane-url");
  }
}
