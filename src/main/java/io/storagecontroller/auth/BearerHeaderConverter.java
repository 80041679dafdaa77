package io.storagecontroller.auth;

import jakarta.servlet.http.HttpServletRequest;
import org.springframework.http.HttpHeaders;
import org.springframework.security.core.Authentication;
import org.springframework.security.oauth2.core.OAuth2AuthenticationException;
import org.springframework.security.oauth2.core.OAuth2Error;
import org.springframework.security.oauth2.core.OAuth2ErrorCodes;
import org.springframework.security.oauth2.server.resource.authentication.BearerTokenAuthenticationToken;
import org.springframework.security.web.authentication.AuthenticationConverter;

/**
 * Reads the token as Neon does: no {@code Authorization} header means an anonymous request (refused
 * with 401 "missing authorization header" by the entry point); anything not starting exactly with
 * {@code "Bearer "} is a malformed header (401); an empty token is an undecodable one (403).
 */
final class BearerHeaderConverter implements AuthenticationConverter {
  static final String MALFORMED_HEADER = "malformed_authorization_header";
  private static final String PREFIX = "Bearer ";

  @Override
  public Authentication convert(HttpServletRequest request) {
    String header = request.getHeader(HttpHeaders.AUTHORIZATION);
    if (header == null) {
      return null;
    }
    if (!header.startsWith(PREFIX)) {
      throw new OAuth2AuthenticationException(
          new OAuth2Error(MALFORMED_HEADER, "malformed authorization header", null));
    }
    String token = header.substring(PREFIX.length());
    if (token.isBlank()) {
      throw new OAuth2AuthenticationException(
          new OAuth2Error(OAuth2ErrorCodes.INVALID_TOKEN, "empty token", null));
    }
    return new BearerTokenAuthenticationToken(token);
  }
}
