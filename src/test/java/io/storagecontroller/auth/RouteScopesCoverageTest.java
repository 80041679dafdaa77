package io.storagecontroller.auth;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.beans.factory.annotation.Qualifier;
import org.springframework.web.servlet.mvc.method.annotation.RequestMappingHandlerMapping;

/**
 * Every route the application serves has its line in {@link RouteScopes} (or is on the public
 * allow-list): a new route without one would be refused to everybody once auth is on.
 */
class RouteScopesCoverageTest extends AuthTestSupport {
  @Autowired
  @Qualifier("requestMappingHandlerMapping")
  RequestMappingHandlerMapping mapping;

  /** The pattern with its variables unnamed: {@code /a/{x}/b} and {@code /a/{y}/b} are one. */
  static String normalized(String pattern) {
    return pattern.replaceAll("\\{\\*[^}]*}", "**").replaceAll("\\{[^}]*}", "{}");
  }

  /** A concrete path the pattern matches. */
  static String samplePath(String pattern) {
    return pattern
        .replaceAll("\\{\\*[^}]*}", "x/y")
        .replace("**", "x/y")
        .replaceAll("\\{[^}]*}", "x");
  }

  @Test
  void everyHandlerRouteHasItsOwnLine() {
    List<HandlerRoutes.Route> routes = HandlerRoutes.of(mapping).routes();
    assertThat(routes).isNotEmpty();
    List<String> missing = new ArrayList<>();
    for (HandlerRoutes.Route route : routes) {
      if (RouteScopes.isPublic(route.pattern())) {
        continue;
      }
      Optional<RouteScopes.Rule> rule =
          RouteScopes.lookup(route.method(), samplePath(route.pattern()));
      boolean own =
          rule.isPresent()
              && normalized(rule.get().pattern().getPatternString())
                  .equals(normalized(route.pattern()));
      // The contract's GET pass-through (GET /v1/tenant/:tenant_id/*) covers GETs beneath a tenant.
      boolean passThrough =
          rule.isPresent()
              && route.method().equals("GET")
              && rule.get().pattern().getPatternString().equals("/v1/tenant/{tenant_id}/**");
      if (!own && !passThrough) {
        missing.add(
            route + " (" + route.handler() + ")" + rule.map(r -> " matched " + r).orElse(""));
      }
    }
    assertThat(missing)
        .as(
            "routes without their line in RouteScopes: add one line each, with the contract's scope")
        .isEmpty();
  }

  @Test
  void publicRoutesAreExactlyTheAllowList() {
    assertThat(RouteScopes.PUBLIC_PATHS)
        .containsExactly("/status", "/live", "/ready", "/metrics", "/profile/cpu", "/profile/heap");
    for (String path : RouteScopes.PUBLIC_PATHS) {
      assertThat(RouteScopes.lookup("GET", path)).as(path).isEmpty();
    }
  }
}
