package io.storagecontroller.auth;

import static io.storagecontroller.auth.Scope.ADMIN;
import static io.storagecontroller.auth.Scope.CONTROLLER_PEER;
import static io.storagecontroller.auth.Scope.GENERATIONS_API;
import static io.storagecontroller.auth.Scope.INFRA;
import static io.storagecontroller.auth.Scope.PAGESERVER_API;
import static io.storagecontroller.auth.Scope.SCRUBBER;
import static org.springframework.http.HttpMethod.DELETE;
import static org.springframework.http.HttpMethod.GET;
import static org.springframework.http.HttpMethod.PATCH;
import static org.springframework.http.HttpMethod.POST;
import static org.springframework.http.HttpMethod.PUT;

import java.util.Comparator;
import java.util.List;
import java.util.Optional;
import java.util.stream.Stream;
import org.springframework.http.HttpMethod;
import org.springframework.http.server.PathContainer;
import org.springframework.web.util.pattern.PathPattern;
import org.springframework.web.util.pattern.PathPatternParser;

/**
 * Who may call what when auth is on: the contract's route tables (neon-api.md section 2, Scope
 * column) in one place. A route is one line here; a request that matches no line is refused (fail
 * closed), and {@code RouteScopesCoverageTest} fails while a handler has no line.
 *
 * <p>Patterns use Spring's syntax; the names of path variables do not matter. When several lines
 * match a request, the most specific pattern wins. Routes of the contract that are not implemented
 * yet are listed already, so implementing one needs no change here.
 */
public final class RouteScopes {
  private RouteScopes() {}

  /** Served without any token, whatever the method: Neon's allow-list, an exact path match. */
  public static final List<String> PUBLIC_PATHS =
      List.of("/status", "/live", "/ready", "/metrics", "/profile/cpu", "/profile/heap");

  /** Beyond Neon, also served without a token: this API's OpenAPI description. */
  public static final List<String> DOCUMENTATION_PATHS =
      List.of("/v3/api-docs", "/v3/api-docs.yaml");

  /** Every path served without a token. */
  public static List<String> publicPaths() {
    return Stream.concat(PUBLIC_PATHS.stream(), DOCUMENTATION_PATHS.stream()).toList();
  }

  private static final List<Rule> RULES =
      List.of(
          // /upcall/v1: called by pageservers with their control_plane_api_token.
          scoped(POST, "/upcall/v1/re-attach", GENERATIONS_API),
          scoped(POST, "/upcall/v1/validate", GENERATIONS_API),
          scoped(GET, "/upcall/v1/timeline_import_status", GENERATIONS_API),
          scoped(POST, "/upcall/v1/timeline_import_status", GENERATIONS_API),
          // /v1: the virtual pageserver API.
          scoped(POST, "/v1/tenant", PAGESERVER_API),
          scoped(DELETE, "/v1/tenant/{tenant_id}", PAGESERVER_API),
          scoped(PATCH, "/v1/tenant/config", PAGESERVER_API),
          scoped(PUT, "/v1/tenant/config", PAGESERVER_API),
          scoped(GET, "/v1/tenant/{tenant_id}/config", PAGESERVER_API),
          scoped(PUT, "/v1/tenant/{tenant_shard_id}/location_config", PAGESERVER_API),
          scoped(PUT, "/v1/tenant/{tenant_id}/time_travel_remote_storage", PAGESERVER_API),
          anyToken(POST, "/v1/tenant/{tenant_id}/secondary/download"),
          scoped(POST, "/v1/tenant/{tenant_id}/timeline", PAGESERVER_API),
          scoped(DELETE, "/v1/tenant/{tenant_id}/timeline/{timeline_id}", PAGESERVER_API),
          scoped(
              PUT, "/v1/tenant/{tenant_id}/timeline/{timeline_id}/archival_config", PAGESERVER_API),
          scoped(
              PUT, "/v1/tenant/{tenant_id}/timeline/{timeline_id}/detach_ancestor", PAGESERVER_API),
          scoped(POST, "/v1/tenant/{tenant_id}/timeline/{timeline_id}/block_gc", PAGESERVER_API),
          scoped(POST, "/v1/tenant/{tenant_id}/timeline/{timeline_id}/unblock_gc", PAGESERVER_API),
          scoped(
              POST,
              "/v1/tenant/{tenant_shard_id}/timeline/{timeline_id}/download_heatmap_layers",
              PAGESERVER_API),
          scoped(
              POST,
              "/v1/tenant/{tenant_id}/timeline/{timeline_id}/safekeeper_migrate",
              PAGESERVER_API),
          scoped(
              POST,
              "/v1/tenant/{tenant_id}/timeline/{timeline_id}/safekeeper_migrate_abort",
              PAGESERVER_API),
          scoped(POST, "/v1/tenant/{tenant_id}/timeline/{timeline_id}/lsn_lease", PAGESERVER_API),
          scoped(
              PUT, "/v1/tenant/{tenant_id}/timeline/{timeline_id}/mark_invisible", PAGESERVER_API),
          scoped(GET, "/v1/tenant/{tenant_id}", PAGESERVER_API),
          scoped(GET, "/v1/tenant/{tenant_id}/**", PAGESERVER_API),
          // /control/v1: management.
          scoped(POST, "/control/v1/node", INFRA),
          scoped(GET, "/control/v1/node", INFRA),
          scoped(GET, "/control/v1/node/{node_id}", INFRA),
          scoped(PUT, "/control/v1/node/{node_id}/config", ADMIN),
          scoped(GET, "/control/v1/node/{node_id}/shards", ADMIN),
          scoped(DELETE, "/control/v1/node/{node_id}", ADMIN),
          scoped(PUT, "/control/v1/node/{node_id}/delete", ADMIN),
          scoped(DELETE, "/control/v1/node/{node_id}/delete", INFRA),
          scoped(PUT, "/control/v1/node/{node_id}/drain", INFRA),
          scoped(DELETE, "/control/v1/node/{node_id}/drain", INFRA),
          scoped(PUT, "/control/v1/node/{node_id}/fill", INFRA),
          scoped(DELETE, "/control/v1/node/{node_id}/fill", INFRA),
          scoped(GET, "/control/v1/leader", ADMIN),
          scoped(PUT, "/control/v1/step_down", CONTROLLER_PEER),
          scoped(GET, "/control/v1/observed_state", CONTROLLER_PEER),
          scoped(POST, "/control/v1/metadata_health/update", SCRUBBER),
          scoped(GET, "/control/v1/metadata_health/unhealthy", ADMIN),
          scoped(POST, "/control/v1/metadata_health/outdated", ADMIN),
          scoped(GET, "/control/v1/safekeeper", INFRA),
          scoped(GET, "/control/v1/safekeeper/{id}", INFRA),
          scoped(POST, "/control/v1/safekeeper/{id}", INFRA),
          scoped(POST, "/control/v1/safekeeper/{id}/scheduling_policy", ADMIN),
          scoped(PUT, "/control/v1/tenant/{tenant_shard_id}/migrate", ADMIN),
          scoped(PUT, "/control/v1/tenant/{tenant_shard_id}/migrate_secondary", ADMIN),
          scoped(PUT, "/control/v1/tenant/{tenant_shard_id}/cancel_reconcile", ADMIN),
          scoped(PUT, "/control/v1/tenant/{tenant_id}/shard_split", ADMIN),
          // Beyond Neon: cancel a running split.
          scoped(DELETE, "/control/v1/tenant/{tenant_id}/shard_split", ADMIN),
          scoped(GET, "/control/v1/tenant/{tenant_id}", SCRUBBER),
          scoped(GET, "/control/v1/tenant", ADMIN),
          scoped(PUT, "/control/v1/tenant/{tenant_id}/policy", ADMIN),
          scoped(PUT, "/control/v1/preferred_azs", ADMIN),
          scoped(GET, "/control/v1/tenant/{tenant_id}/timeline/{timeline_id}", SCRUBBER),
          // Beyond Neon: the operations API (long operations and their progress).
          scoped(GET, "/control/v1/operations", ADMIN),
          scoped(GET, "/control/v1/operations/{id}", ADMIN),
          scoped(POST, "/control/v1/operations/{id}/cancel", ADMIN),
          scoped(POST, "/control/v1/operations/{id}/retry", ADMIN),
          // Beyond Neon: the background optimiser's status and its pause switch.
          scoped(GET, "/control/v1/optimiser", ADMIN),
          scoped(PUT, "/control/v1/optimiser", ADMIN),
          // /debug/v1: tests and support.
          scoped(POST, "/debug/v1/attach-hook", ADMIN),
          scoped(POST, "/debug/v1/inspect", ADMIN),
          // Beyond Neon (pageserverapi there): forgetting a tenant without teardown loses its
          // generations, so the control plane's pageserver token must not be enough.
          scoped(POST, "/debug/v1/tenant/{tenant_id}/drop", ADMIN),
          scoped(POST, "/debug/v1/node/{node_id}/drop", ADMIN),
          scoped(GET, "/debug/v1/tombstone", ADMIN),
          scoped(DELETE, "/debug/v1/tombstone/{node_id}", ADMIN),
          scoped(POST, "/debug/v1/tenant/{tenant_id}/import", PAGESERVER_API),
          scoped(GET, "/debug/v1/tenant", ADMIN),
          scoped(GET, "/debug/v1/tenant/{tenant_id}/locate", ADMIN),
          scoped(
              POST, "/debug/v1/tenant/{tenant_id}/timeline/{timeline_id}/import", PAGESERVER_API),
          scoped(GET, "/debug/v1/tenant/{tenant_id}/timeline/{timeline_id}/locate", ADMIN),
          scoped(GET, "/debug/v1/scheduler", ADMIN),
          scoped(POST, "/debug/v1/consistency_check", ADMIN),
          scoped(POST, "/debug/v1/reconcile_all", ADMIN),
          // Beyond Neon: the benchmark measures evacuation without Temporal.
          scoped(PUT, "/debug/v1/evacuation_mode", ADMIN),
          anyToken(PUT, "/debug/v1/failpoints"));

  /**
   * One line of the table.
   *
   * @param scope the scope a token must carry ({@code admin} always passes), or null when any valid
   *     token will do
   */
  public record Rule(HttpMethod method, PathPattern pattern, Scope scope) {
    public boolean permits(Scope held) {
      return scope == null || held == scope || held == ADMIN;
    }

    @Override
    public String toString() {
      return method + " " + pattern + " -> " + (scope == null ? "any valid token" : scope);
    }
  }

  /** Every line of the table. */
  public static List<Rule> rules() {
    return RULES;
  }

  public static boolean isPublic(String path) {
    return PUBLIC_PATHS.contains(path) || DOCUMENTATION_PATHS.contains(path);
  }

  /** The line that governs a request, or empty when none does (the request is then refused). */
  public static Optional<Rule> lookup(String method, String path) {
    PathContainer container = PathContainer.parsePath(path);
    return RULES.stream()
        .filter(r -> r.method().matches(method) && r.pattern().matches(container))
        .min(Comparator.comparing(Rule::pattern, PathPattern.SPECIFICITY_COMPARATOR));
  }

  private static Rule scoped(HttpMethod method, String pattern, Scope scope) {
    return new Rule(method, PathPatternParser.defaultInstance.parse(pattern), scope);
  }

  private static Rule anyToken(HttpMethod method, String pattern) {
    return new Rule(method, PathPatternParser.defaultInstance.parse(pattern), null);
  }
}
