package io.storagecontroller.auth;

import java.util.Optional;
import java.util.function.Supplier;
import org.springframework.security.authorization.AuthorizationDecision;
import org.springframework.security.authorization.AuthorizationManager;
import org.springframework.security.authorization.AuthorizationResult;
import org.springframework.security.core.Authentication;
import org.springframework.security.oauth2.server.resource.authentication.JwtAuthenticationToken;
import org.springframework.security.web.access.intercept.RequestAuthorizationContext;

/**
 * Grants a request when a valid token's scope covers its route in {@link RouteScopes}. Anything
 * else is refused: no token (401 from the entry point), a scope that does not cover the route, or a
 * route that is not in the table (403).
 */
final class RouteScopeAuthorization implements AuthorizationManager<RequestAuthorizationContext> {
  private static final AuthorizationDecision GRANTED = new AuthorizationDecision(true);
  private static final AuthorizationDecision DENIED = new AuthorizationDecision(false);

  @Override
  public AuthorizationResult authorize(
      Supplier<? extends Authentication> authentication, RequestAuthorizationContext context) {
    Authentication auth = authentication.get();
    if (!(auth instanceof JwtAuthenticationToken jwt) || !auth.isAuthenticated()) {
      return DENIED;
    }
    String path = context.getRequest().getRequestURI();
    String contextPath = context.getRequest().getContextPath();
    if (contextPath != null && !contextPath.isEmpty() && path.startsWith(contextPath)) {
      path = path.substring(contextPath.length());
    }
    Optional<RouteScopes.Rule> rule = RouteScopes.lookup(context.getRequest().getMethod(), path);
    return rule.isPresent() && rule.get().permits(NeonClaimsValidator.scope(jwt.getToken()))
        ? GRANTED
        : DENIED;
  }
}
