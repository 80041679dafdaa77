package io.storagecontroller.auth;

import static org.assertj.core.api.Assertions.assertThat;

import io.storagecontroller.model.TenantId;
import io.storagecontroller.model.TimelineId;
import io.storagecontroller.testing.ApiClient.Response;
import io.storagecontroller.testing.Ids;
import io.storagecontroller.tools.simulator.PageserverFleet;
import java.nio.charset.StandardCharsets;
import java.security.PrivateKey;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Supplier;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestFactory;
import org.junit.jupiter.api.TestInstance;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.beans.factory.annotation.Qualifier;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.web.servlet.mvc.method.annotation.RequestMappingHandlerMapping;
import tools.jackson.databind.JsonNode;

/**
 * Every route the application serves (read from the handler mapping) with every kind of credential:
 * the status and message the contract gives (section 5), and for a refused request no change in the
 * database or in memory. Refused requests aim at a live node and tenant with bodies that would
 * change them; accepted ones aim at unknown ids, so the matrix changes nothing.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class AuthRouteMatrixTest extends AuthTestSupport {
  @Autowired
  @Qualifier("requestMappingHandlerMapping")
  RequestMappingHandlerMapping mapping;

  @Autowired JdbcClient jdbc;

  PageserverFleet fleet;
  long victimNode;
  TenantId victimTenant;

  /** What a credential should get on a route that needs a scope. */
  enum Kind {
    NO_HEADER,
    MALFORMED_HEADER,
    /** A valid token of this scope: accepted where the scope (or admin) is required. */
    VALID,
    /** Anything wrong with the token itself. */
    INVALID
  }

  record Credential(String name, Kind kind, Scope scope, Supplier<String> header) {
    @Override
    public String toString() {
      return name;
    }
  }

  record Sample(String path, String body) {}

  @BeforeAll
  void victims() {
    fleet = startFleet(1);
    victimNode = fleet.pageservers().get(0).nodeId().value();
    victimTenant = TenantId.generate();
    Response created =
        admin(
            "POST",
            "/v1/tenant",
            "{\"new_tenant_id\":\"%s\",\"placement_policy\":{\"Attached\":0}}"
                .formatted(victimTenant));
    assertThat(created.status()).as(created.body()).isEqualTo(201);
    assertThat(created.json().get("shards").get(0).get("node_id").asLong()).isEqualTo(victimNode);
  }

  @AfterAll
  void stopFleet() {
    if (fleet != null) {
      retire(fleet);
    }
  }

  static List<Credential> credentials() {
    PrivateKey key = KEYS.getPrivate();
    List<Credential> all = new ArrayList<>();
    all.add(new Credential("no Authorization header", Kind.NO_HEADER, null, () -> null));
    all.add(
        new Credential(
            "Basic credentials", Kind.MALFORMED_HEADER, null, () -> "Basic dXNlcjpwYXNz"));
    all.add(
        new Credential(
            "lower-case 'bearer'",
            Kind.MALFORMED_HEADER,
            null,
            () -> "bearer " + token(Scope.ADMIN)));
    all.add(
        new Credential(
            "token without 'Bearer '", Kind.MALFORMED_HEADER, null, () -> token(Scope.ADMIN)));
    for (Scope scope : Scope.values()) {
      all.add(
          new Credential(
              "scope " + scope.json(), Kind.VALID, scope, () -> "Bearer " + token(scope)));
    }
    all.add(
        new Credential(
            "admin, expired 1 h ago",
            Kind.INVALID,
            null,
            () -> bearer(key, claims("admin", "exp", Instant.now().minusSeconds(3600)))));
    all.add(
        new Credential(
            "admin, tampered signature",
            Kind.INVALID,
            null,
            () -> "Bearer " + tamperSignature(token(Scope.ADMIN))));
    all.add(
        new Credential(
            "admin, signed by another key",
            Kind.INVALID,
            null,
            () -> "Bearer " + JwtTokens.mint(OTHER_KEYS.getPrivate(), Scope.ADMIN, null, null)));
    return all;
  }

  /**
   * Tokens whose treatment does not depend on the route (claims and algorithms): tried on one route
   * per requirement rather than on all.
   */
  static List<Credential> tokenVariants() {
    PrivateKey key = KEYS.getPrivate();
    List<Credential> all = new ArrayList<>();
    all.add(
        new Credential(
            "admin, expires in 1 h",
            Kind.VALID,
            Scope.ADMIN,
            () -> bearer(key, claims("admin", "exp", Instant.now().plusSeconds(3600)))));
    all.add(
        new Credential(
            "admin, expired 30 s ago (within the 60 s leeway)",
            Kind.VALID,
            Scope.ADMIN,
            () -> bearer(key, claims("admin", "exp", Instant.now().minusSeconds(30)))));
    all.add(
        new Credential(
            "admin, nbf in 1 h (not checked, as in Neon)",
            Kind.VALID,
            Scope.ADMIN,
            () -> bearer(key, claims("admin", "nbf", Instant.now().plusSeconds(3600)))));
    all.add(
        new Credential(
            "admin for one tenant",
            Kind.VALID,
            Scope.ADMIN,
            () -> bearer(key, claims("admin", "tenant_id", TenantId.generate().toString()))));
    all.add(
        new Credential(
            "pageserverapi token whose claims were changed to admin",
            Kind.INVALID,
            null,
            () -> "Bearer " + swapClaims(token(Scope.PAGESERVER_API), "{\"scope\":\"admin\"}")));
    all.add(
        new Credential(
            "admin with an audience",
            Kind.INVALID,
            null,
            () -> bearer(key, claims("admin", "aud", "storage_controller"))));
    all.add(
        new Credential(
            "no scope claim",
            Kind.INVALID,
            null,
            () -> bearer(key, Map.of("tenant_id", TenantId.generate().toString()))));
    all.add(
        new Credential(
            "unknown scope", Kind.INVALID, null, () -> bearer(key, claims("superuser"))));
    all.add(
        new Credential(
            "scope as a list",
            Kind.INVALID,
            null,
            () -> bearer(key, Map.of("scope", List.of("admin")))));
    all.add(
        new Credential(
            "admin, malformed tenant_id",
            Kind.INVALID,
            null,
            () -> bearer(key, claims("admin", "tenant_id", "not-hex"))));
    all.add(
        new Credential(
            "alg none", Kind.INVALID, null, () -> "Bearer " + unsigned(claims("admin"))));
    all.add(
        new Credential(
            "alg HS256 keyed with the public key",
            Kind.INVALID,
            null,
            () -> "Bearer " + hs256(claims("admin"))));
    all.add(new Credential("not a JWT", Kind.INVALID, null, () -> "Bearer not.a.jwt"));
    return all;
  }

  /** What the contract says this credential gets on this route: the status, or -1 for "served". */
  static int expectedStatus(Optional<RouteScopes.Rule> rule, boolean isPublic, Credential c) {
    if (isPublic) {
      return -1;
    }
    return switch (c.kind()) {
      case NO_HEADER, MALFORMED_HEADER -> 401;
      case INVALID -> 403;
      case VALID -> rule.isPresent() && rule.get().permits(c.scope()) ? -1 : 403;
    };
  }

  static String expectedMessage(Credential c) {
    return switch (c.kind()) {
      case NO_HEADER -> "Unauthorized: missing authorization header";
      case MALFORMED_HEADER -> "Unauthorized: malformed authorization header";
      default -> "Forbidden: JWT authentication error";
    };
  }

  @TestFactory
  Stream<DynamicTest> everyRouteWithEveryCredential() {
    return matrix(HandlerRoutes.of(mapping).routes(), credentials());
  }

  @TestFactory
  Stream<DynamicTest> tokenVariantsOnOneRoutePerRequirement() {
    Map<String, HandlerRoutes.Route> oneEach = new LinkedHashMap<>();
    for (HandlerRoutes.Route route : HandlerRoutes.of(mapping).routes()) {
      String requirement =
          RouteScopes.isPublic(route.pattern())
              ? "public"
              : RouteScopes.lookup(
                      route.method(), RouteScopesCoverageTest.samplePath(route.pattern()))
                  .map(r -> String.valueOf(r.scope()))
                  .orElse("no line");
      oneEach.putIfAbsent(requirement, route);
    }
    assertThat(oneEach).containsKeys("public", "null", "admin", "pageserverapi", "generations_api");
    return matrix(List.copyOf(oneEach.values()), tokenVariants());
  }

  Stream<DynamicTest> matrix(List<HandlerRoutes.Route> routes, List<Credential> credentials) {
    return routes.stream()
        .flatMap(
            route ->
                credentials.stream()
                    .map(
                        c -> DynamicTest.dynamicTest(route + " with " + c, () -> check(route, c))));
  }

  void check(HandlerRoutes.Route route, Credential credential) {
    boolean isPublic = RouteScopes.isPublic(route.pattern());
    Sample fresh = sample(route, false);
    Optional<RouteScopes.Rule> rule = RouteScopes.lookup(route.method(), fresh.path());
    int expected = expectedStatus(rule, isPublic, credential);
    if (expected == -1) {
      if (route.toString().equals("PUT /control/v1/step_down")) {
        // Permitted, it would hand this controller's leadership to nobody for the rest of the
        // run; HandoverTest calls it for real.
        return;
      }
      Response r = call(credential.header().get(), route.method(), fresh.path(), fresh.body());
      assertThat(r.status())
          .as("%s %s: %s", route.method(), fresh.path(), r.body())
          .isNotIn(401, 403);
      return;
    }
    Sample aimed = sample(route, true);
    boolean mutating = !route.method().equals("GET");
    String before = mutating ? snapshot() : null;
    Response r = call(credential.header().get(), route.method(), aimed.path(), aimed.body());
    assertThat(r.status())
        .as("%s %s: %s", route.method(), aimed.path(), r.body())
        .isEqualTo(expected);
    assertThat(r.msg()).isEqualTo(expectedMessage(credential));
    assertThat(r.header("Content-Type")).startsWith("application/json");
    assertThat(r.header("x-request-id")).isNotBlank();
    if (mutating) {
      assertThat(snapshot())
          .as("state after a refused %s %s", route.method(), aimed.path())
          .isEqualTo(before);
    }
  }

  @Test
  void refusalsAreCountedUnderTheRouteName() {
    call(null, "GET", "/control/v1/node", null);
    call("Bearer " + token(Scope.SCRUBBER), "GET", "/control/v1/node", null);
    String metrics = call(null, "GET", "/metrics", null).body();
    assertThat(metrics)
        .contains(
            "storage_controller_http_request_status_total{method=\"get\",path=\"control_v1_node\",status=\"401\"}")
        .contains(
            "storage_controller_http_request_status_total{method=\"get\",path=\"control_v1_node\",status=\"403\"}");
  }

  @Test
  void unknownRoutesAreRefusedEvenToAdmin() {
    Response r = admin("GET", "/control/v1/no_such_route", null);
    assertThat(r.status()).isEqualTo(403);
    assertThat(r.msg()).isEqualTo("Forbidden: JWT authentication error");
    assertThat(call(null, "GET", "/control/v1/no_such_route", null).status()).isEqualTo(401);
    // A direct request to the servlet error page is not a route either.
    assertThat(call(null, "GET", "/error", null).status()).isEqualTo(401);
  }

  @Test
  void publicRoutesIgnoreEvenABadToken() {
    for (String path : List.of("/status", "/metrics")) {
      assertThat(call("Bearer not.a.jwt", "GET", path, null).status()).as(path).isEqualTo(200);
      assertThat(call("Basic x", "GET", path, null).status()).as(path).isEqualTo(200);
    }
    // Exact paths only.
    assertThat(call(null, "GET", "/status/", null).status()).isEqualTo(401);
  }

  /**
   * The path and body of a request on the route: aimed at the live node and tenant with a body that
   * would change them, or at unknown ids with an empty object.
   */
  Sample sample(HandlerRoutes.Route route, boolean aimed) {
    String tenant = aimed ? victimTenant.toString() : TenantId.generate().toString();
    long node = aimed ? victimNode : Ids.nodeId();
    Matcher variables = Pattern.compile("\\{\\*?([^}]*)}").matcher(route.pattern());
    StringBuilder path = new StringBuilder();
    while (variables.find()) {
      String value =
          switch (variables.group(1)) {
            case "tenant_id", "tenant_shard_id" -> tenant;
            case "node_id", "id" -> Long.toString(node);
            case "timeline_id" -> TimelineId.generate().toString();
            default -> variables.group(0).startsWith("{*") ? "x/y" : "1";
          };
      variables.appendReplacement(path, Matcher.quoteReplacement(value));
    }
    variables.appendTail(path);
    String concrete = path.toString().replace("**", "x/y");
    String body = null;
    if (!route.method().equals("GET") && !route.method().equals("DELETE")) {
      body = aimed ? harmfulBody(route, tenant, node) : "{}";
    }
    return new Sample(concrete, body);
  }

  /** A body that would change the victims if the request were let through. */
  String harmfulBody(HandlerRoutes.Route route, String tenant, long node) {
    return switch (route.method() + " " + route.pattern()) {
      case "POST /control/v1/node" ->
          ("{\"node_id\":%d,\"listen_pg_addr\":\"127.0.0.1\",\"listen_pg_port\":1,"
                  + "\"listen_http_addr\":\"127.0.0.1\",\"listen_http_port\":2,"
                  + "\"availability_zone_id\":\"az-auth\"}")
              .formatted(Ids.nodeId());
      case "PUT /control/v1/node/{node_id}/config" ->
          "{\"node_id\":%d,\"scheduling\":\"Pause\"}".formatted(node);
      case "POST /v1/tenant" ->
          "{\"new_tenant_id\":\"%s\",\"placement_policy\":{\"Attached\":0}}"
              .formatted(TenantId.generate());
      case "PUT /control/v1/tenant/{tenant_id}/policy" -> "{\"placement\":\"Detached\"}";
      case "POST /upcall/v1/re-attach" -> "{\"node_id\":%d}".formatted(node);
      case "POST /upcall/v1/validate" ->
          "{\"tenants\":[{\"id\":\"%s\",\"gen\":1}]}".formatted(tenant);
      case "POST /debug/v1/attach-hook" ->
          "{\"tenant_shard_id\":\"%s\",\"node_id\":null}".formatted(tenant);
      case "POST /debug/v1/inspect" -> "{\"tenant_shard_id\":\"%s\"}".formatted(tenant);
      case "PUT /v1/tenant/{tenant_shard_id}/location_config" ->
          "{\"mode\":\"Detached\",\"tenant_conf\":{}}";
      case "PUT /v1/tenant/config" ->
          "{\"tenant_id\":\"%s\",\"gc_period\":\"7h\"}".formatted(tenant);
      case "PATCH /v1/tenant/config" ->
          "{\"tenant_id\":\"%s\",\"gc_period\":\"8h\"}".formatted(tenant);
      case "POST /v1/tenant/{tenant_id}/timeline" ->
          "{\"new_timeline_id\":\"%s\",\"pg_version\":17}".formatted(TimelineId.generate());
      default -> "{\"node_id\":%d}".formatted(node);
    };
  }

  /** The victims as the database and memory hold them, and how many nodes and shards exist. */
  String snapshot() {
    String nodeRow =
        jdbc.sql("SELECT n::text FROM nodes n WHERE node_id = ?")
            .param(victimNode)
            .query(String.class)
            .single();
    List<String> shardRows =
        jdbc.sql("SELECT t::text FROM tenant_shards t WHERE tenant_id = ? ORDER BY t::text")
            .param(victimTenant.toString())
            .query(String.class)
            .list();
    long nodes = jdbc.sql("SELECT count(*) FROM nodes").query(Long.class).single();
    long shards = jdbc.sql("SELECT count(*) FROM tenant_shards").query(Long.class).single();
    List<String> memory = new ArrayList<>();
    for (JsonNode shard : admin("GET", "/debug/v1/tenant", null).json()) {
      if (shard.get("tenant_shard_id").asString().startsWith(victimTenant.toString())) {
        memory.add(shard.toString());
      }
    }
    // Changes asked of the pageserver beyond placement (timelines, deletions, time travel, ...):
    // a refused request makes none. Placement calls (location_config) are left out, as reconciles
    // started by earlier accepted requests may still send them; placement is compared above.
    long pageserverCalls =
        fleet.pageservers().get(0).requests().stream()
            .filter(r -> !r.method().equals("GET") && !r.uri().contains("/location_config"))
            .count();
    memory.add("pageserver calls=" + pageserverCalls);
    JsonNode node = admin("GET", "/control/v1/node/" + victimNode, null).json();
    memory.add(node.path("scheduling").asString() + "/" + node.path("availability").asString());
    return String.join(
        "\n",
        List.of(
            nodeRow,
            String.join(";", shardRows),
            "nodes=" + nodes,
            "shards=" + shards,
            String.join(";", memory)));
  }

  // Tokens that must be refused.

  static Map<String, Object> claims(String scope, Object... more) {
    Map<String, Object> claims = new LinkedHashMap<>();
    claims.put("scope", scope);
    for (int i = 0; i < more.length; i += 2) {
      Object value = more[i + 1];
      claims.put((String) more[i], value instanceof Instant t ? t.getEpochSecond() : value);
    }
    return claims;
  }

  static String bearer(PrivateKey key, Map<String, ?> claims) {
    return "Bearer " + JwtTokens.sign(key, Map.of("alg", "EdDSA", "typ", "JWT"), claims);
  }

  static String tamperSignature(String token) {
    int last = token.length() - 5;
    char c = token.charAt(last);
    return token.substring(0, last) + (c == 'A' ? 'B' : 'A') + token.substring(last + 1);
  }

  static String swapClaims(String token, String claimsJson) {
    String[] parts = token.split("\\.");
    return parts[0] + "." + b64(claimsJson.getBytes(StandardCharsets.UTF_8)) + "." + parts[2];
  }

  static String unsigned(Map<String, ?> claims) {
    return b64("{\"alg\":\"none\",\"typ\":\"JWT\"}".getBytes(StandardCharsets.UTF_8))
        + "."
        + b64(json(claims))
        + ".";
  }

  static String hs256(Map<String, ?> claims) {
    try {
      String input =
          b64("{\"alg\":\"HS256\",\"typ\":\"JWT\"}".getBytes(StandardCharsets.UTF_8))
              + "."
              + b64(json(claims));
      Mac mac = Mac.getInstance("HmacSHA256");
      byte[] secret = Ed25519Keys.publicPem(KEYS.getPublic()).getBytes(StandardCharsets.US_ASCII);
      mac.init(new SecretKeySpec(secret, "HmacSHA256"));
      return input + "." + b64(mac.doFinal(input.getBytes(StandardCharsets.US_ASCII)));
    } catch (java.security.GeneralSecurityException e) {
      throw new IllegalStateException(e);
    }
  }

  static byte[] json(Map<String, ?> claims) {
    return tools.jackson.databind.json.JsonMapper.builder().build().writeValueAsBytes(claims);
  }

  static String b64(byte[] bytes) {
    return Base64.getUrlEncoder().withoutPadding().encodeToString(bytes);
  }
}
