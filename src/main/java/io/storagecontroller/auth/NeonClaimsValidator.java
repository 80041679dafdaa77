package io.storagecontroller.auth;

import io.storagecontroller.model.TenantId;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.UUID;
import org.springframework.security.oauth2.core.OAuth2Error;
import org.springframework.security.oauth2.core.OAuth2ErrorCodes;
import org.springframework.security.oauth2.core.OAuth2TokenValidator;
import org.springframework.security.oauth2.core.OAuth2TokenValidatorResult;
import org.springframework.security.oauth2.jwt.Jwt;
import org.springframework.security.oauth2.jwt.JwtClaimNames;

/**
 * Neon's claims, checked as its {@code jsonwebtoken} setup checks them: {@code scope} is required
 * and names one scope; {@code tenant_id} (hex) and {@code endpoint_id} (UUID, empty counts as
 * absent) are optional but must parse; {@code exp} is optional and, when present, checked with 60 s
 * of leeway; a token with an {@code aud} claim is refused (no audience is configured). Other claims
 * are ignored.
 */
final class NeonClaimsValidator implements OAuth2TokenValidator<Jwt> {
  static final String SCOPE = "scope";
  static final String TENANT_ID = "tenant_id";
  static final String ENDPOINT_ID = "endpoint_id";

  private static final Duration LEEWAY = Duration.ofSeconds(60);

  private final Clock clock;

  NeonClaimsValidator(Clock clock) {
    this.clock = clock;
  }

  @Override
  public OAuth2TokenValidatorResult validate(Jwt jwt) {
    Map<String, Object> claims = jwt.getClaims();
    if (!(claims.get(SCOPE) instanceof String scope) || Scope.fromJson(scope).isEmpty()) {
      return invalid("the scope claim is missing or names no known scope");
    }
    if (claims.containsKey(JwtClaimNames.AUD)) {
      return invalid("the token has an audience and none is expected");
    }
    Object tenant = claims.get(TENANT_ID);
    if (tenant != null && !parses(tenant, t -> TenantId.parse(t))) {
      return invalid("tenant_id is not a tenant id");
    }
    Object endpoint = claims.get(ENDPOINT_ID);
    if (endpoint != null && !"".equals(endpoint) && !parses(endpoint, UUID::fromString)) {
      return invalid("endpoint_id is not a UUID");
    }
    if (claims.containsKey(JwtClaimNames.EXP)) {
      Instant expires = jwt.getExpiresAt();
      if (expires == null || clock.instant().minus(LEEWAY).isAfter(expires)) {
        return invalid("the token has expired");
      }
    }
    return OAuth2TokenValidatorResult.success();
  }

  /** The scope of a token that passed validation. */
  static Scope scope(Jwt jwt) {
    return Scope.fromJson(jwt.getClaimAsString(SCOPE)).orElseThrow();
  }

  private static boolean parses(Object value, java.util.function.Function<String, ?> parser) {
    if (!(value instanceof String text)) {
      return false;
    }
    try {
      parser.apply(text);
      return true;
    } catch (RuntimeException e) {
      return false;
    }
  }

  private static OAuth2TokenValidatorResult invalid(String why) {
    return OAuth2TokenValidatorResult.failure(
        new OAuth2Error(OAuth2ErrorCodes.INVALID_TOKEN, why, null));
  }
}
