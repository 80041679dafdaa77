package io.storagecontroller.cli;

import static org.assertj.core.api.Assertions.assertThat;

import io.storagecontroller.Main;
import io.storagecontroller.auth.Ed25519Keys;
import io.storagecontroller.auth.JwtAuth;
import io.storagecontroller.model.TenantId;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Clock;
import java.time.Instant;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.security.oauth2.jwt.Jwt;
import org.springframework.security.oauth2.jwt.JwtDecoder;

/** {@code storage_controller token}: key generation and minting, as an operator runs them. */
class TokenCommandTest {
  record Run(int status, String out, String err) {}

  static Run run(String... args) {
    StringWriter out = new StringWriter();
    StringWriter err = new StringWriter();
    int status = Main.run(args, new PrintWriter(out), new PrintWriter(err));
    return new Run(status, out.toString(), err.toString());
  }

  @Test
  void generatesAKeyPairThenMintsTokensItVerifies(@TempDir Path dir) throws Exception {
    Run generated = run("token", "--generate-key", dir.toString());
    assertThat(generated.status()).as(generated.err()).isZero();
    Path priv = dir.resolve("auth_private_key.pem");
    Path pub = dir.resolve("auth_public_key.pem");
    assertThat(generated.out().strip()).isEqualTo(pub.toString());
    assertThat(Files.readString(priv)).startsWith("-----BEGIN PRIVATE KEY-----");
    assertThat(Files.readString(pub)).startsWith("-----BEGIN PUBLIC KEY-----");
    assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(priv)))
        .isEqualTo("rw-------");

    JwtDecoder decoder = JwtAuth.decoder(Ed25519Keys.publicKey(pub.toString()), Clock.systemUTC());
    Run admin = run("token", "--scope", "admin", "--key", priv.toString());
    assertThat(admin.status()).as(admin.err()).isZero();
    Jwt jwt = decoder.decode(admin.out().strip());
    assertThat(jwt.getClaims()).containsOnlyKeys("scope").containsEntry("scope", "admin");
    assertThat(jwt.getHeaders()).containsEntry("alg", "EdDSA").containsEntry("typ", "JWT");

    TenantId tenant = TenantId.generate();
    Run scoped =
        run(
            "token",
            "--scope",
            "generations_api",
            "--key",
            priv.toString(),
            "--tenant-id",
            tenant.toString().toUpperCase(),
            "--expires-in",
            "1h");
    assertThat(scoped.status()).as(scoped.err()).isZero();
    Jwt limited = decoder.decode(scoped.out().strip());
    assertThat(limited.getClaimAsString("scope")).isEqualTo("generations_api");
    assertThat(limited.getClaimAsString("tenant_id")).isEqualTo(tenant.toString());
    assertThat(limited.getExpiresAt())
        .isBetween(Instant.now().plusSeconds(3500), Instant.now().plusSeconds(3700));

    // A second --generate-key into the same place does not overwrite the key.
    String before = Files.readString(priv);
    Run again = run("token", "--generate-key", dir.toString());
    assertThat(again.status()).isEqualTo(2);
    assertThat(again.err().strip().lines()).hasSize(1);
    assertThat(Files.readString(priv)).isEqualTo(before);
  }

  @Test
  void badUsageExitsTwoWithOneLine(@TempDir Path dir) throws Exception {
    Ed25519Keys.writeKeyPair(dir);
    String key = dir.resolve("auth_private_key.pem").toString();
    String[][] cases = {
      {"token"},
      {"token", "--scope", "admin"},
      {"token", "--key", key},
      {"token", "--scope", "root", "--key", key},
      {"token", "--scope", "admin", "--key", dir.resolve("missing.pem").toString()},
      {"token", "--scope", "admin", "--key", dir.resolve("auth_public_key.pem").toString()},
      {"token", "--scope", "admin", "--key", key, "--tenant-id", "xyz"},
      {"token", "--scope", "admin", "--key", key, "--expires-in", "soon"},
      {"token", "--generate-key", dir.resolve("new").toString(), "--scope", "admin"},
    };
    for (String[] args : cases) {
      Run r = run(args);
      assertThat(r.status()).as(String.join(" ", args)).isEqualTo(2);
      assertThat(r.err().strip().lines()).as(r.err()).hasSize(1);
      assertThat(r.out()).isEmpty();
    }
    // The private key's contents never show in an error.
    String pem = Files.readString(dir.resolve("auth_private_key.pem"));
    Run wrong = run("token", "--scope", "nope", "--key", key);
    assertThat(wrong.err()).doesNotContain(pem.lines().skip(1).findFirst().orElseThrow());
  }

  @Test
  void helpNamesTheScopes() {
    Run help = run("token", "--help");
    assertThat(help.status()).isZero();
    assertThat(help.out()).contains("generations_api", "pageserverapi", "--generate-key");
    assertThat(run("--help").out()).contains("token");
  }
}
