package io.storagecontroller.auth;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/**
 * {@link RouteScopes} against the contract itself: every row of the route tables in section 2 of
 * {@code shared/contract/neon-api.md} (beside the repository) gets the scope its Scope column
 * gives, "none" routes need only a valid token, and "public" ones are on the allow-list.
 */
class RouteScopesContractTest {
  private static final Pattern ROW =
      Pattern.compile("^\\| (GET|POST|PUT|DELETE|PATCH) \\| `([^`]+)`[^|]*\\| ([^|]+)\\|");
  private static final Pattern SCOPE = Pattern.compile("`([a-z_]+)`|\\b(none|public)\\b");

  record ContractRoute(String method, String path, String scope) {}

  /**
   * Where this controller asks for another scope than Neon's, on purpose: forgetting a tenant
   * without teardown needs admin, not the control plane's pageserver token.
   */
  static final Map<String, String> DELIBERATE =
      Map.of("POST /debug/v1/tenant/:tenant_id/drop", "admin");

  static Optional<Path> contract() {
    for (String candidate :
        List.of("../shared/contract/neon-api.md", "../../shared/contract/neon-api.md")) {
      Path path = Path.of(System.getProperty("user.dir")).resolve(candidate).normalize();
      if (Files.isRegularFile(path)) {
        return Optional.of(path);
      }
    }
    return Optional.empty();
  }

  static List<ContractRoute> routes(Path contract) throws IOException {
    List<ContractRoute> routes = new ArrayList<>();
    boolean inCatalogue = false;
    for (String line : Files.readAllLines(contract)) {
      if (line.startsWith("## ")) {
        inCatalogue = line.startsWith("## 2.");
      }
      Matcher row = ROW.matcher(line);
      if (!inCatalogue || !row.find()) {
        continue;
      }
      Matcher scope = SCOPE.matcher(row.group(3));
      if (!scope.find()) {
        throw new AssertionError("no scope in contract row: " + line);
      }
      String path = row.group(2).replaceAll("[?\\[].*$", "");
      routes.add(
          new ContractRoute(
              row.group(1), path, scope.group(1) != null ? scope.group(1) : scope.group(2)));
    }
    return routes;
  }

  /** A concrete path for a contract path: {@code :tenant_id} becomes an id, {@code *} a suffix. */
  static String concrete(String path) {
    return path.replace(":tenant_shard_id", "1f359dd625e519a1a4e8d7509690f6fc-0104")
        .replace(":tenant_id", "1f359dd625e519a1a4e8d7509690f6fc")
        .replace(":timeline_id", "de200bd42b49cc1814412c7e592dd6e9")
        .replace(":node_id", "7")
        .replace(":id", "7")
        .replace("*", "timeline/de200bd42b49cc1814412c7e592dd6e9");
  }

  @Test
  void everyContractRouteHasTheContractsScope() throws IOException {
    Optional<Path> contract = contract();
    assumeTrue(contract.isPresent(), "shared/contract/neon-api.md is not beside the repository");
    List<ContractRoute> routes = routes(contract.get());
    assertThat(routes).hasSizeGreaterThan(60);
    List<String> wrong = new ArrayList<>();
    for (ContractRoute route : routes) {
      String path = concrete(route.path());
      String actual;
      if (RouteScopes.isPublic(path)) {
        actual = "public";
      } else {
        actual =
            RouteScopes.lookup(route.method(), path)
                .map(r -> r.scope() == null ? "none" : r.scope().json())
                .orElse("(no line: refused)");
      }
      String expected = DELIBERATE.getOrDefault(route.method() + " " + route.path(), route.scope());
      if (!actual.equals(expected)) {
        wrong.add(
            route.method()
                + " "
                + route.path()
                + ": contract "
                + route.scope()
                + ", table "
                + actual);
      }
    }
    assertThat(wrong).isEmpty();
  }

  @Test
  void adminPassesEveryScopedRouteAndOtherScopesOnlyTheirOwn() {
    for (RouteScopes.Rule rule : RouteScopes.rules()) {
      assertThat(rule.permits(Scope.ADMIN)).as(rule.toString()).isTrue();
      for (Scope scope : Scope.values()) {
        boolean expected = rule.scope() == null || scope == Scope.ADMIN || scope == rule.scope();
        assertThat(rule.permits(scope)).as(rule + " for " + scope).isEqualTo(expected);
      }
    }
  }

  @Test
  void theMostSpecificLineWins() {
    String tenant = "1f359dd625e519a1a4e8d7509690f6fc";
    assertThat(RouteScopes.lookup("GET", "/control/v1/tenant/" + tenant).orElseThrow().scope())
        .isEqualTo(Scope.SCRUBBER);
    assertThat(RouteScopes.lookup("GET", "/control/v1/tenant").orElseThrow().scope())
        .isEqualTo(Scope.ADMIN);
    assertThat(
            RouteScopes.lookup("POST", "/v1/tenant/" + tenant + "/secondary/download")
                .orElseThrow()
                .scope())
        .isNull();
    assertThat(
            RouteScopes.lookup("GET", "/v1/tenant/" + tenant + "/timeline/x/y")
                .orElseThrow()
                .scope())
        .isEqualTo(Scope.PAGESERVER_API);
    assertThat(RouteScopes.lookup("GET", "/control/v1/node/7/shards").orElseThrow().scope())
        .isEqualTo(Scope.ADMIN);
    assertThat(
            RouteScopes.lookup("POST", "/debug/v1/tenant/" + tenant + "/drop")
                .orElseThrow()
                .permits(Scope.PAGESERVER_API))
        .isFalse();
    assertThat(RouteScopes.lookup("GET", "/control/v1/node/7").orElseThrow().scope())
        .isEqualTo(Scope.INFRA);
  }

  @Test
  void unknownRoutesAndMethodsHaveNoLine() {
    assertThat(RouteScopes.lookup("GET", "/control/v1/nope")).isEmpty();
    assertThat(RouteScopes.lookup("DELETE", "/control/v1/node")).isEmpty();
    assertThat(RouteScopes.lookup("GET", "/upcall/v1/re-attach")).isEmpty();
    assertThat(RouteScopes.lookup("GET", "/status/")).isEmpty();
    assertThat(RouteScopes.isPublic("/status/")).isFalse();
    assertThat(RouteScopes.isPublic("/metrics")).isTrue();
  }
}
