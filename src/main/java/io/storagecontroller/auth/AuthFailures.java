package io.storagecontroller.auth;

import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.function.BiConsumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.http.MediaType;
import org.springframework.security.access.AccessDeniedException;
import org.springframework.security.core.AuthenticationException;
import org.springframework.security.oauth2.core.OAuth2AuthenticationException;
import org.springframework.security.web.AuthenticationEntryPoint;
import org.springframework.security.web.access.AccessDeniedHandler;

/**
 * Neon's auth refusals, body {@code {"msg": ...}}: 401 for a missing or malformed {@code
 * Authorization} header, 403 {@code Forbidden: JWT authentication error} for anything wrong with
 * the token itself (signature, expiry, claims) and for a scope that does not cover the route. The
 * token and the reason it failed are never echoed (the reason is logged at debug level only).
 */
public final class AuthFailures implements AuthenticationEntryPoint, AccessDeniedHandler {
  static final String MISSING = "Unauthorized: missing authorization header";
  static final String MALFORMED = "Unauthorized: malformed authorization header";
  static final String FORBIDDEN = "Forbidden: JWT authentication error";

  private static final Logger log = LoggerFactory.getLogger(AuthFailures.class);

  private final BiConsumer<HttpServletRequest, Integer> onRefusal;

  /**
   * @param onRefusal told of every refused request and its status (the HTTP metrics count them
   *     under the route's name, as Neon's metrics middleware runs before its auth)
   */
  public AuthFailures(BiConsumer<HttpServletRequest, Integer> onRefusal) {
    this.onRefusal = onRefusal;
  }

  @Override
  public void commence(
      HttpServletRequest request, HttpServletResponse response, AuthenticationException e)
      throws IOException {
    if (e instanceof OAuth2AuthenticationException oauth) {
      if (BearerHeaderConverter.MALFORMED_HEADER.equals(oauth.getError().getErrorCode())) {
        refuse(request, response, HttpServletResponse.SC_UNAUTHORIZED, MALFORMED, "header");
      } else {
        refuse(
            request,
            response,
            HttpServletResponse.SC_FORBIDDEN,
            FORBIDDEN,
            oauth.getError().getDescription());
      }
    } else if (request.getHeader("Authorization") == null) {
      refuse(request, response, HttpServletResponse.SC_UNAUTHORIZED, MISSING, "no header");
    } else {
      refuse(request, response, HttpServletResponse.SC_FORBIDDEN, FORBIDDEN, e.getMessage());
    }
  }

  @Override
  public void handle(
      HttpServletRequest request, HttpServletResponse response, AccessDeniedException e)
      throws IOException {
    refuse(request, response, HttpServletResponse.SC_FORBIDDEN, FORBIDDEN, "scope");
  }

  private void refuse(
      HttpServletRequest request, HttpServletResponse response, int status, String msg, String why)
      throws IOException {
    log.debug(
        "refused {} {} with {}: {}", request.getMethod(), request.getRequestURI(), status, why);
    onRefusal.accept(request, status);
    response.setStatus(status);
    response.setContentType(MediaType.APPLICATION_JSON_VALUE);
    response.setCharacterEncoding(StandardCharsets.UTF_8.name());
    // The messages are constants without characters that JSON would escape.
    response.getWriter().write("{\"msg\":\"" + msg + "\"}");
    response.getWriter().flush();
  }
}
