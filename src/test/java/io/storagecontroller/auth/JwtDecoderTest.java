package io.storagecontroller.auth;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import com.nimbusds.jose.JWSObject;
import io.storagecontroller.model.TenantId;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyFactory;
import java.security.KeyPair;
import java.security.PublicKey;
import java.security.spec.X509EncodedKeySpec;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.Base64;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.security.oauth2.jwt.Jwt;
import org.springframework.security.oauth2.jwt.JwtDecoder;
import org.springframework.security.oauth2.jwt.JwtException;

/** The decoder alone: EdDSA verified by the JDK, then Neon's claim rules. */
class JwtDecoderTest {
  static final KeyPair KEYS = Ed25519Keys.generate();
  static final Instant NOW = Instant.parse("2026-03-01T12:00:00Z");
  static final JwtDecoder DECODER =
      JwtAuth.decoder(KEYS.getPublic(), Clock.fixed(NOW, ZoneOffset.UTC));

  static String sign(Map<String, ?> claims) {
    return JwtTokens.sign(KEYS.getPrivate(), Map.of("alg", "EdDSA", "typ", "JWT"), claims);
  }

  static Map<String, Object> claims(Object... pairs) {
    Map<String, Object> claims = new LinkedHashMap<>();
    for (int i = 0; i < pairs.length; i += 2) {
      claims.put((String) pairs[i], pairs[i + 1]);
    }
    return claims;
  }

  @Test
  void aMintedTokenDecodesWithItsScope() {
    TenantId tenant = TenantId.generate();
    Jwt jwt =
        DECODER.decode(
            JwtTokens.mint(KEYS.getPrivate(), Scope.GENERATIONS_API, tenant.toString(), null));
    assertThat(NeonClaimsValidator.scope(jwt)).isEqualTo(Scope.GENERATIONS_API);
    assertThat(jwt.getClaimAsString("tenant_id")).isEqualTo(tenant.toString());
    assertThat(jwt.getHeaders()).containsEntry("alg", "EdDSA").containsEntry("typ", "JWT");
    assertThat(JwtAuth.authentication(jwt).getAuthorities())
        .extracting(Object::toString)
        .containsExactly("SCOPE_generations_api");
  }

  @Test
  void everyScopeSpellingIsAccepted() {
    for (Scope scope : Scope.values()) {
      assertThat(NeonClaimsValidator.scope(DECODER.decode(sign(claims("scope", scope.json())))))
          .isEqualTo(scope);
    }
    assertThat(Scope.fromJson("Admin")).isEmpty();
    assertThat(Scope.fromJson("generationsapi")).isEmpty();
  }

  @Test
  void expiryIsOptionalAndCheckedWithSixtySecondsOfLeeway() {
    DECODER.decode(sign(claims("scope", "admin")));
    DECODER.decode(sign(claims("scope", "admin", "exp", NOW.plusSeconds(1).getEpochSecond())));
    DECODER.decode(sign(claims("scope", "admin", "exp", NOW.minusSeconds(59).getEpochSecond())));
    assertThatThrownBy(
            () ->
                DECODER.decode(
                    sign(claims("scope", "admin", "exp", NOW.minusSeconds(61).getEpochSecond()))))
        .isInstanceOf(JwtException.class);
    assertThatThrownBy(() -> DECODER.decode(sign(claims("scope", "admin", "exp", "tomorrow"))))
        .isInstanceOf(JwtException.class);
  }

  @Test
  void claimsOtherThanNeonsAreIgnoredButMalformedOnesRefused() {
    DECODER.decode(
        sign(
            claims(
                "scope",
                "admin",
                "iss",
                "cplane",
                "iat",
                1,
                "sub",
                "x",
                "endpoint_id",
                "",
                "nbf",
                NOW.plusSeconds(3600).getEpochSecond())));
    DECODER.decode(
        sign(claims("scope", "admin", "endpoint_id", "6f1c2d2e-8a0b-4d5e-9f00-123456789abc")));
    for (Map<String, Object> refused :
        List.of(
            claims("tenant_id", TenantId.generate().toString()),
            claims("scope", "superuser"),
            claims("scope", List.of("admin")),
            claims("scope", "admin infra"),
            claims("scope", "admin", "aud", "storage_controller"),
            claims("scope", "admin", "aud", List.of()),
            claims("scope", "admin", "tenant_id", "xyz"),
            claims("scope", "admin", "tenant_id", 7),
            claims("scope", "admin", "endpoint_id", "not-a-uuid"))) {
      assertThatThrownBy(() -> DECODER.decode(sign(refused)))
          .as(refused.toString())
          .isInstanceOf(JwtException.class);
    }
  }

  @Test
  void onlyEdDsaSignedByTheTrustedKeyIsAccepted() {
    String good = sign(claims("scope", "admin"));
    String[] parts = good.split("\\.");
    KeyPair other = Ed25519Keys.generate();
    List<String> refused =
        List.of(
            JwtTokens.sign(other.getPrivate(), Map.of("alg", "EdDSA"), claims("scope", "admin")),
            parts[0]
                + "."
                + parts[1]
                + "."
                + parts[2].replaceFirst("^.", parts[2].startsWith("A") ? "B" : "A"),
            parts[0] + "." + parts[1] + ".",
            parts[0] + "." + parts[1],
            // Another algorithm in the header, same EdDSA signature.
            b64("{\"alg\":\"Ed25519\"}") + "." + parts[1] + "." + parts[2],
            b64("{\"alg\":\"HS256\"}") + "." + parts[1] + "." + parts[2],
            b64("{\"alg\":\"none\"}") + "." + parts[1] + ".",
            // A critical header nobody understands.
            JwtTokens.sign(
                KEYS.getPrivate(),
                Map.of("alg", "EdDSA", "crit", List.of("x"), "x", 1),
                claims("scope", "admin")),
            "",
            "garbage");
    for (String token : refused) {
      assertThatThrownBy(() -> DECODER.decode(token)).as(token).isInstanceOf(Exception.class);
    }
    // The typ header is not looked at, as in Neon.
    DECODER.decode(
        JwtTokens.sign(
            KEYS.getPrivate(), Map.of("alg", "EdDSA", "typ", "at+jwt"), claims("scope", "admin")));
    DECODER.decode(
        JwtTokens.sign(KEYS.getPrivate(), Map.of("alg", "EdDSA"), claims("scope", "admin")));
  }

  /** RFC 8037 appendix A.4: the reference Ed25519 JWS verifies, and a changed payload does not. */
  @Test
  void rfc8037ExampleVerifies() throws Exception {
    byte[] x = Base64.getUrlDecoder().decode("11qYAYKxCrfVS_7TyWQHOg7hcvPapiMlrwIaaPcHURo");
    byte[] spki = HexFormat.of().parseHex("302a300506032b6570032100");
    byte[] der = new byte[spki.length + x.length];
    System.arraycopy(spki, 0, der, 0, spki.length);
    System.arraycopy(x, 0, der, spki.length, x.length);
    PublicKey key = KeyFactory.getInstance("Ed25519").generatePublic(new X509EncodedKeySpec(der));
    String jws =
        "eyJhbGciOiJFZERTQSJ9.RXhhbXBsZSBvZiBFZDI1NTE5IHNpZ25pbmc."
            + "hgyY0il_MGCjP0JzlnLWG1PPOt7-09PGcvMg3AIbQR6dWbhijcNR4ki4iylGjg5BhVsPt9g7sVvpAr_MuM0KAg";
    assertThat(JWSObject.parse(jws).verify(new Ed25519JwsVerifier(key))).isTrue();
    String changed =
        jws.replace("RXhhbXBsZSBvZiBFZDI1NTE5IHNpZ25pbmc", b64("Example of Ed448 signing"));
    assertThat(JWSObject.parse(changed).verify(new Ed25519JwsVerifier(key))).isFalse();
  }

  /** Keys from {@code openssl genpkey -algorithm ed25519}, and a signature made by openssl. */
  @Test
  void opensslKeysAndSignaturesInteroperate(@TempDir Path dir) throws Exception {
    assumeTrue(run(dir, "openssl", "version") == 0, "openssl is not installed");
    Path priv = dir.resolve("auth_private_key.pem");
    Path pub = dir.resolve("auth_public_key.pem");
    assertThat(run(dir, "openssl", "genpkey", "-algorithm", "ed25519", "-out", priv.toString()))
        .isZero();
    assertThat(
            run(dir, "openssl", "pkey", "-in", priv.toString(), "-pubout", "-out", pub.toString()))
        .isZero();
    JwtDecoder decoder = JwtAuth.decoder(Ed25519Keys.publicKey(pub.toString()), Clock.systemUTC());

    // Our signature with openssl's private key.
    String ours =
        JwtTokens.mint(
            Ed25519Keys.readPrivateKey(priv), Scope.ADMIN, null, Instant.now().plusSeconds(60));
    assertThat(decoder.decode(ours).getClaimAsString("scope")).isEqualTo("admin");

    // openssl's signature over our signing input.
    String input = b64("{\"alg\":\"EdDSA\",\"typ\":\"JWT\"}") + "." + b64("{\"scope\":\"infra\"}");
    Path in = dir.resolve("input");
    Path sig = dir.resolve("sig");
    Files.writeString(in, input, StandardCharsets.US_ASCII);
    assertThat(
            run(
                dir,
                "openssl",
                "pkeyutl",
                "-sign",
                "-rawin",
                "-inkey",
                priv.toString(),
                "-in",
                in.toString(),
                "-out",
                sig.toString()))
        .isZero();
    String theirs =
        input
            + "."
            + Base64.getUrlEncoder().withoutPadding().encodeToString(Files.readAllBytes(sig));
    assertThat(decoder.decode(theirs).getClaimAsString("scope")).isEqualTo("infra");

    // And our PEM files are openssl's format.
    Path mine = dir.resolve("mine");
    Ed25519Keys.writeKeyPair(mine);
    assertThat(
            run(
                dir,
                "openssl",
                "pkey",
                "-in",
                mine.resolve(Ed25519Keys.PRIVATE_KEY_FILE).toString(),
                "-noout"))
        .isZero();
    assertThat(
            run(
                dir,
                "openssl",
                "pkey",
                "-pubin",
                "-in",
                mine.resolve(Ed25519Keys.PUBLIC_KEY_FILE).toString(),
                "-noout"))
        .isZero();
  }

  @Test
  void publicKeyIsReadFromPemTextOrAFile(@TempDir Path dir) throws Exception {
    String pem = Ed25519Keys.publicPem(KEYS.getPublic());
    Path file = dir.resolve("key.pem");
    Files.writeString(file, pem);
    assertThat(Ed25519Keys.publicKey(pem)).isEqualTo(KEYS.getPublic());
    assertThat(Ed25519Keys.publicKey(file.toString())).isEqualTo(KEYS.getPublic());
    assertThatThrownBy(() -> Ed25519Keys.publicKey(dir.resolve("nope.pem").toString()))
        .hasMessageContaining("nope.pem");
    assertThatThrownBy(() -> Ed25519Keys.publicKey("c2VjcmV0LWtleS1tYXRlcmlhbA=="))
        .isInstanceOf(Ed25519Keys.InvalidKeyException.class)
        .hasMessageNotContaining("c2VjcmV0");
    // An RSA or EC key in PEM is not an Ed25519 key.
    KeyPair ec = java.security.KeyPairGenerator.getInstance("EC").generateKeyPair();
    assertThatThrownBy(() -> Ed25519Keys.parsePublicKey(Ed25519Keys.publicPem(ec.getPublic())))
        .isInstanceOf(Ed25519Keys.InvalidKeyException.class);
    assertThatThrownBy(() -> Ed25519Keys.parsePublicKey(Ed25519Keys.privatePem(KEYS.getPrivate())))
        .isInstanceOf(Ed25519Keys.InvalidKeyException.class);
    assertThat(Ed25519Keys.parsePrivateKey(Ed25519Keys.privatePem(KEYS.getPrivate())))
        .isEqualTo(KEYS.getPrivate());
  }

  static String b64(String text) {
    return Base64.getUrlEncoder()
        .withoutPadding()
        .encodeToString(text.getBytes(StandardCharsets.UTF_8));
  }

  static int run(Path dir, String... command) throws Exception {
    Process p;
    try {
      p = new ProcessBuilder(command).directory(dir.toFile()).redirectErrorStream(true).start();
    } catch (java.io.IOException notInstalled) {
      return -1;
    }
    p.getInputStream().readAllBytes();
    if (!p.waitFor(30, TimeUnit.SECONDS)) {
      p.destroyForcibly();
      return -1;
    }
    return p.exitValue();
  }
}
