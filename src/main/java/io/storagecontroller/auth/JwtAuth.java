package io.storagecontroller.auth;

import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.proc.SecurityContext;
import com.nimbusds.jose.proc.SingleKeyJWSKeySelector;
import com.nimbusds.jwt.proc.DefaultJWTProcessor;
import java.security.PublicKey;
import java.time.Clock;
import java.util.List;
import org.springframework.security.authentication.AbstractAuthenticationToken;
import org.springframework.security.authorization.AuthorizationManager;
import org.springframework.security.core.authority.SimpleGrantedAuthority;
import org.springframework.security.oauth2.jwt.Jwt;
import org.springframework.security.oauth2.jwt.JwtDecoder;
import org.springframework.security.oauth2.jwt.NimbusJwtDecoder;
import org.springframework.security.oauth2.server.resource.authentication.JwtAuthenticationToken;
import org.springframework.security.web.access.intercept.RequestAuthorizationContext;
import org.springframework.security.web.authentication.AuthenticationConverter;

/** The pieces of incoming JWT auth that the security configuration wires together. */
public final class JwtAuth {
  private JwtAuth() {}

  /**
   * Spring Security's {@link NimbusJwtDecoder} over a Nimbus processor that accepts only {@code
   * alg: EdDSA} signed by {@code key} (verified by the JDK), then Neon's claim checks.
   */
  public static JwtDecoder decoder(PublicKey key, Clock clock) {
    DefaultJWTProcessor<SecurityContext> processor = new DefaultJWTProcessor<>();
    // Neon's jsonwebtoken does not look at "typ".
    processor.setJWSTypeVerifier((type, context) -> {});
    processor.setJWSKeySelector(new SingleKeyJWSKeySelector<>(JWSAlgorithm.EdDSA, key));
    processor.setJWSVerifierFactory(new Ed25519JwsVerifier.Factory());
    // Claims are checked by the validator below, Spring-side, not by Nimbus' defaults.
    processor.setJWTClaimsSetVerifier((claims, context) -> {});
    NimbusJwtDecoder decoder = new NimbusJwtDecoder(processor);
    decoder.setJwtValidator(new NeonClaimsValidator(clock));
    return decoder;
  }

  /** A validated token as an authentication whose one authority is {@code SCOPE_<scope>}. */
  public static AbstractAuthenticationToken authentication(Jwt jwt) {
    Scope scope = NeonClaimsValidator.scope(jwt);
    return new JwtAuthenticationToken(
        jwt, List.of(new SimpleGrantedAuthority("SCOPE_" + scope.json())), scope.json());
  }

  /** Reads {@code Authorization: Bearer <token>} exactly as Neon does. */
  public static AuthenticationConverter bearerHeader() {
    return new BearerHeaderConverter();
  }

  /** Grants a request when its route's scope (see {@link RouteScopes}) is covered. */
  public static AuthorizationManager<RequestAuthorizationContext> routeScopes() {
    return new RouteScopeAuthorization();
  }
}
