package io.storagecontroller.auth;

import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.PrivateKey;
import java.security.Signature;
import java.time.Instant;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.Map;
import tools.jackson.databind.json.JsonMapper;

/**
 * Mints Neon's tokens: header {@code {"alg":"EdDSA","typ":"JWT"}}, claims {@code scope} and
 * optionally {@code tenant_id} and {@code exp}, signed with an Ed25519 private key.
 */
public final class JwtTokens {
  private static final JsonMapper JSON = JsonMapper.builder().build();
  private static final Base64.Encoder B64 = Base64.getUrlEncoder().withoutPadding();

  private JwtTokens() {}

  /** A token for one scope, optionally for one tenant and with an expiry. */
  public static String mint(PrivateKey key, Scope scope, String tenantId, Instant expires) {
    Map<String, Object> claims = new LinkedHashMap<>();
    claims.put("scope", scope.json());
    if (tenantId != null) {
      claims.put("tenant_id", tenantId);
    }
    if (expires != null) {
      claims.put("exp", expires.getEpochSecond());
    }
    Map<String, Object> header = new LinkedHashMap<>();
    header.put("alg", "EdDSA");
    header.put("typ", "JWT");
    return sign(key, header, claims);
  }

  /** Signs any header and claims (tests use it to build the tokens a controller must refuse). */
  public static String sign(PrivateKey key, Map<String, ?> header, Map<String, ?> claims) {
    String signingInput = part(header) + "." + part(claims);
    try {
      Signature signer = Signature.getInstance(Ed25519Keys.ALGORITHM);
      signer.initSign(key);
      signer.update(signingInput.getBytes(StandardCharsets.US_ASCII));
      return signingInput + "." + B64.encodeToString(signer.sign());
    } catch (GeneralSecurityException e) {
      throw new IllegalArgumentException("cannot sign with this key: " + e.getMessage(), e);
    }
  }

  private static String part(Map<String, ?> json) {
    return B64.encodeToString(JSON.writeValueAsBytes(json));
  }
}
