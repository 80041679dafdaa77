package io.storagecontroller.http;

import io.storagecontroller.auth.AuthFailures;
import io.storagecontroller.auth.Ed25519Keys;
import io.storagecontroller.auth.JwtAuth;
import io.storagecontroller.auth.RouteScopes;
import io.storagecontroller.auth.StrictMode;
import io.storagecontroller.config.ControllerProperties;
import jakarta.servlet.DispatcherType;
import java.security.PublicKey;
import java.time.Clock;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.core.annotation.Order;
import org.springframework.security.config.annotation.web.builders.HttpSecurity;
import org.springframework.security.config.http.SessionCreationPolicy;
import org.springframework.security.config.observation.SecurityObservationSettings;
import org.springframework.security.web.SecurityFilterChain;

/**
 * A stateless API (no sessions, no CSRF, no login) with Neon's auth (contract section 5). With a
 * public key, every request outside the public allow-list needs {@code Authorization: Bearer} and
 * an EdDSA token whose scope covers the route ({@link RouteScopes}); without one, auth is off,
 * which only {@code --dev} allows.
 */
@Configuration(proxyBeanMethods = false)
public class SecurityConfig {
  private static final Logger log = LoggerFactory.getLogger(SecurityConfig.class);

  /** The allow-list: served to anyone, whatever token the request carries. */
  @Bean
  @Order(1)
  SecurityFilterChain publicRoutes(HttpSecurity http) throws Exception {
    return stateless(http)
        .securityMatcher(RouteScopes.publicPaths().toArray(String[]::new))
        .authorizeHttpRequests(a -> a.anyRequest().permitAll())
        .build();
  }

  @Bean
  @Order(2)
  SecurityFilterChain api(HttpSecurity http, ControllerProperties properties, HttpMetrics metrics)
      throws Exception {
    stateless(http);
    String publicKey = properties.publicKey();
    if (!properties.dev()) {
      List<String> missing =
          StrictMode.missing(
              publicKey,
              properties.jwtToken(),
              properties.controlPlaneJwtToken(),
              properties.controlPlaneUrl());
      if (!missing.isEmpty()) {
        throw new IllegalStateException(StrictMode.refusal(missing));
      }
    }
    if (publicKey == null || publicKey.isBlank()) {
      log.warn("auth is off: no --public-key (allowed in --dev mode only)");
      return http.authorizeHttpRequests(a -> a.anyRequest().permitAll()).build();
    }
    PublicKey key = Ed25519Keys.publicKey(publicKey);
    AuthFailures failures = new AuthFailures(metrics::recordRefused);
    log.info("auth is on: EdDSA tokens with the route's scope are required");
    return http.authorizeHttpRequests(
            a ->
                a.dispatcherTypeMatchers(DispatcherType.ERROR)
                    .permitAll()
                    .anyRequest()
                    .access(JwtAuth.routeScopes()))
        .exceptionHandling(e -> e.authenticationEntryPoint(failures).accessDeniedHandler(failures))
        .oauth2ResourceServer(
            o ->
                o.authenticationConverter(JwtAuth.bearerHeader())
                    .authenticationEntryPoint(failures)
                    .accessDeniedHandler(failures)
                    .jwt(
                        j ->
                            j.decoder(JwtAuth.decoder(key, Clock.systemUTC()))
                                .jwtAuthenticationConverter(JwtAuth::authentication)))
        .build();
  }

  /**
   * Spring Security wraps each filter of a chain in an observation when an observation registry
   * exists, and those wrappers run on every request even with its observations turned off.
   */
  @Bean
  SecurityObservationSettings securityObservations() {
    return SecurityObservationSettings.noObservations();
  }

  /**
   * Every filter in a chain runs on every request (the chain was about a tenth of a small request's
   * CPU in the attach-hook loop's profile): a token API leaves out those made for browsers and
   * sessions (CSRF, response headers, anonymous users, the servlet API wrapper, saved requests).
   * Without an anonymous user a request with no token fails authorization as one without
   * credentials: the entry point's 401, as before.
   */
  private static HttpSecurity stateless(HttpSecurity http) throws Exception {
    return http.csrf(c -> c.disable())
        .sessionManagement(s -> s.sessionCreationPolicy(SessionCreationPolicy.STATELESS))
        .anonymous(a -> a.disable())
        .headers(h -> h.disable())
        .servletApi(s -> s.disable())
        .httpBasic(b -> b.disable())
        .formLogin(f -> f.disable())
        .logout(l -> l.disable())
        .requestCache(r -> r.disable());
  }
}
