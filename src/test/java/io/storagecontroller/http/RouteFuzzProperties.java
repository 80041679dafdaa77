package io.storagecontroller.http;

import static org.assertj.core.api.Assertions.assertThat;

import io.storagecontroller.model.TenantId;
import io.storagecontroller.model.TenantShardId;
import io.storagecontroller.model.TimelineId;
import io.storagecontroller.testing.ApiClient.Response;
import io.storagecontroller.testing.FleetTest;
import io.storagecontroller.tools.simulator.SimulatedPageserver;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Example;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.ShrinkingMode;
import net.jqwik.api.lifecycle.AfterProperty;
import net.jqwik.api.lifecycle.BeforeProperty;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.beans.factory.annotation.Qualifier;
import org.springframework.test.context.TestContextManager;
import org.springframework.web.servlet.mvc.method.annotation.RequestMappingHandlerMapping;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * Every bad request on every route (see {@link BadRequests}) is refused with a 4xx and Neon's
 * {@code {"msg"}} body, never a 5xx, an HTML page or a stack trace; the same again when it is sent
 * twice; and it changes nothing, in the database or in memory.
 *
 * <p>A jqwik property (shrinking a failure to a small request) on the service the other tests
 * share: Spring's test context is attached by hand, as jqwik runs outside JUnit Jupiter.
 */
class RouteFuzzProperties extends FleetTest {
  private static final JsonMapper JSON = JsonMapper.builder().build();

  @Autowired
  @Qualifier("requestMappingHandlerMapping")
  RequestMappingHandlerMapping mapping;

  private Victims victims;
  private String lastSnapshot;

  @Override
  protected int pageserverCount() {
    return 2;
  }

  @BeforeProperty
  void startServiceAndVictims() throws Exception {
    new TestContextManager(getClass()).prepareTestInstance(this);
    connect();
    startFleet();
    victims = victims();
  }

  @AfterProperty
  void stopFleetAndVictims() {
    stopFleet();
  }

  @Property(tries = 300, shrinking = ShrinkingMode.BOUNDED)
  void everyBadRequestIsRefusedAndChangesNothing(@ForAll("badRequests") BadRequest request) {
    String before = lastSnapshot != null ? lastSnapshot : snapshot();
    Response first = send(request);
    Response again = send(request);
    assertRefused(request, first);
    assertRefused(request, again);
    assertThat(again.status()).as("the same request again: %s", request).isEqualTo(first.status());
    lastSnapshot = snapshot();
    assertThat(lastSnapshot).as("state after %s", request).isEqualTo(before);
  }

  /** What the fuzzing found once, kept as fixed cases with the message each must give. */
  @Example
  void requestsTheFuzzingFoundAreRefused() {
    String tenant = victims.tenant();
    Map<BadRequest, String> found = new LinkedHashMap<>();
    // Past Tomcat's default 8 KB of headers the connection was cut before any answer.
    found.put(
        json(
            "PUT",
            "/v1/tenant/" + tenant + "/timeline/" + "x".repeat(10_000) + "/mark_invisible",
            "{\"visibility\":\"invisible\"}"),
        "timeline");
    found.put(
        json(
            "PATCH",
            "/v1/tenant/config",
            "{\"gc_period\":\"2h\",\"tenant_id\":\"" + tenant + "\",\"gc_period\":\"1h\"}"),
        "Duplicate");
    found.put(
        json(
            "PUT",
            "/v1/tenant/config",
            "{\"tenant_id\":\"" + tenant + "\",\"gc_period\":{\"x\":1}}"),
        "invalid `gc_period`");
    found.put(json("POST", "/upcall/v1/validate", "{\"tenants\":[{\"gen\":1}]}"), "id");
    found.put(
        json(
            "POST",
            "/upcall/v1/validate",
            "{\"tenants\":[{\"id\":\"" + tenant + "\",\"gen\":-1}]}"),
        "invalid `gen`");
    found.put(
        json(
            "PUT",
            "/v1/tenant/" + tenant + "/location_config",
            "{\"mode\":\"AttachedSingle\",\"generation\":18446744073709551616,\"tenant_conf\":{}}"),
        "invalid `generation`");
    found.put(
        json(
            "PUT",
            "/v1/tenant/" + tenant + "/location_config",
            "{\"mode\":\"AttachedSingle\",\"shard_count\":true,\"tenant_conf\":{}}"),
        "invalid `shard_count`");
    found.put(
        json(
            "POST",
            "/v1/tenant/" + tenant + "/timeline",
            "{\"new_timeline_id\":\"" + victims.newTimeline() + "\",\"pg_version\":1.5}"),
        "invalid `pg_version`");
    found.put(
        new BadRequest("hex", "GET", "/control/v1/operations?limit=0x10", null, null),
        "Invalid limit '0x10'");
    found.put(
        new BadRequest("space", "GET", "/control/v1/tenant?limit=1%20", null, null),
        "Invalid limit");
    found.put(
        new BadRequest(
            "not UTF-8",
            "PUT",
            "/v1/tenant/"
                + tenant
                + "/time_travel_remote_storage?travel_to=%FF&done_if_after=2024-01-01T00:00:00Z",
            "{\"shard_counts\":[0]}".getBytes(StandardCharsets.UTF_8),
            BadRequests.JSON_TYPE),
        "Invalid query string");
    found.put(
        new BadRequest("encoded slash", "GET", "/control/v1/tenant/a%2Fb", null, null),
        "Bad Request");
    found.put(
        new BadRequest(
            "overlong UTF-8",
            "POST",
            "/upcall/v1/re-attach",
            new byte[] {'{', '"', 'n', (byte) 0xC0, (byte) 0xAF, '"', ':', '1', '}'},
            BadRequests.JSON_TYPE),
        "invalid UTF-8");
    String before = snapshot();
    found.forEach(
        (request, msg) -> {
          Response r = send(request);
          assertRefused(request, r);
          assertThat(r.status()).as("%s: %s", request, r.body()).isEqualTo(400);
          assertThat(r.body()).as("%s", request).contains(msg);
        });
    assertThat(snapshot()).isEqualTo(before);
  }

  private static BadRequest json(String method, String path, String body) {
    return new BadRequest(
        "found", method, path, body.getBytes(StandardCharsets.UTF_8), BadRequests.JSON_TYPE);
  }

  @Provide
  Arbitrary<BadRequest> badRequests() {
    BadRequests requests = new BadRequests(FuzzedRoute.of(mapping), victims);
    assertThat(requests.withoutTemplate())
        .as("routes with a body need a template in BodyTemplates")
        .isEmpty();
    return requests.any();
  }

  private Response send(BadRequest request) {
    Map<String, String> headers = new HashMap<>();
    if (request.contentType() != null) {
      headers.put("Content-Type", request.contentType());
    }
    return api.sendBytes(request.method(), request.path(), request.body(), headers);
  }

  private static void assertRefused(BadRequest request, Response r) {
    String shown = r.body().length() > 500 ? r.body().substring(0, 500) + "..." : r.body();
    assertThat(r.status()).as("status of %s: %s", request, shown).isBetween(400, 499);
    assertThat(r.header("Content-Type"))
        .as("content type of %s: %s", request, shown)
        .startsWith("application/json");
    JsonNode body;
    try {
      body = JSON.readTree(r.body());
    } catch (RuntimeException e) {
      throw new AssertionError("not JSON: " + request + ": " + shown, e);
    }
    assertThat(body.path("msg").isString()).as("{\"msg\"} of %s: %s", request, shown).isTrue();
    assertThat(body.get("msg").asString())
        .as("msg of %s", request)
        .isNotBlank()
        .doesNotContain("\tat ", "Internal error");
  }

  /** A tenant with a secondary and a timeline on the fleet; its attached node is the victim. */
  private Victims victims() {
    TenantId tenant = TenantId.generate();
    Response created = create(tenant, 0, 1);
    assertThat(created.status()).as(created.body()).isEqualTo(201);
    Response timeline =
        api.post(
            "/v1/tenant/" + tenant + "/timeline",
            "{\"new_timeline_id\":\"%s\",\"pg_version\":17}".formatted(TimelineId.generate()));
    assertThat(timeline.status()).as(timeline.body()).isEqualTo(201);
    JsonNode shard = api.get("/control/v1/tenant/" + tenant).json().get("shards").get(0);
    long node = shard.get("node_attached").asLong();
    JsonNode described = api.get("/control/v1/node/" + node).json();
    String registration =
        ("{\"node_id\":%d,\"listen_http_addr\":\"%s\",\"listen_http_port\":%d,"
                + "\"listen_pg_addr\":\"%s\",\"listen_pg_port\":%d,\"availability_zone_id\":\"%s\"}")
            .formatted(
                node,
                described.get("listen_http_addr").asString(),
                described.get("listen_http_port").asInt(),
                described.get("listen_pg_addr").asString(),
                described.get("listen_pg_port").asInt(),
                described.get("availability_zone_id").asString());
    List<Long> nodes = new ArrayList<>();
    for (SimulatedPageserver ps : fleet.pageservers()) {
      nodes.add(ps.nodeId().value());
    }
    return new Victims(
        tenant.toString(),
        tenant.toString(),
        node,
        nodes,
        timeline.json().get("timeline_id").asString(),
        TimelineId.generate().toString(),
        storedGeneration(TenantShardId.unsharded(tenant)),
        registration);
  }

  /**
   * The victims in the database and in memory, how many nodes and shards there are, the operations
   * naming a victim, and how many changes the pageservers were asked for.
   */
  private String snapshot() {
    List<String> lines = new ArrayList<>();
    lines.addAll(
        jdbc.sql("SELECT t::text FROM tenant_shards t WHERE tenant_id = ? ORDER BY 1")
            .param(victims.tenant())
            .query(String.class)
            .list());
    for (long node : victims.nodes()) {
      lines.addAll(
          jdbc.sql("SELECT n::text FROM nodes n WHERE node_id = ?")
              .param(node)
              .query(String.class)
              .list());
      lines.add(
          "operations on node "
              + node
              + ": "
              + jdbc.sql("SELECT count(*) FROM operations WHERE target = ?")
                  .param("node/" + node)
                  .query(Long.class)
                  .single());
    }
    lines.add(
        "operations on the tenant: "
            + jdbc.sql("SELECT count(*) FROM operations WHERE target LIKE ?")
                .param(victims.tenant() + "%")
                .query(Long.class)
                .single());
    lines.add(
        "rows: "
            + jdbc.sql(
                    "SELECT (SELECT count(*) FROM nodes) || '/' || (SELECT count(*) FROM tenant_shards)")
                .query(String.class)
                .single());
    JsonNode shards = api.get("/debug/v1/tenant").json();
    lines.add("shards in memory: " + shards.size());
    for (JsonNode shard : shards) {
      if (shard.get("tenant_shard_id").asString().startsWith(victims.tenant())) {
        lines.add(shard.toString());
      }
    }
    JsonNode nodes = api.get("/control/v1/node").json();
    lines.add("nodes in memory: " + nodes.size());
    for (JsonNode node : nodes) {
      if (victims.nodes().contains(node.get("id").asLong())) {
        lines.add(node.toString());
      }
    }
    // Only what names the victims: the pageservers also answer for whatever else runs meanwhile.
    for (SimulatedPageserver ps : fleet.pageservers()) {
      ps.locations().entrySet().stream()
          .filter(e -> e.getKey().tenantId().toString().equals(victims.tenant()))
          .forEach(
              e -> lines.add("on node " + ps.nodeId() + ": " + e.getKey() + " " + e.getValue()));
    }
    long changes =
        fleet.pageservers().stream()
            .flatMap(ps -> ps.requests().stream())
            .filter(r -> !r.method().equals("GET") && r.uri().contains(victims.tenant()))
            .count();
    lines.add("pageserver changes to the victim tenant: " + changes);
    return String.join("\n", lines);
  }
}
