package io.storagecontroller.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import io.storagecontroller.model.LocationConfigMode;
import io.storagecontroller.model.NodeId;
import io.storagecontroller.model.TenantId;
import io.storagecontroller.model.TenantShardId;
import io.storagecontroller.pageserver.LocationConfig;
import io.storagecontroller.simulator.PageserverFleet;
import io.storagecontroller.simulator.SimulatedPageserver;
import io.storagecontroller.simulator.SimulatorOptions;
import io.storagecontroller.testing.ApiClient.Response;
import io.storagecontroller.testing.ControllerProcess;
import io.storagecontroller.testing.ControllerTest;
import io.storagecontroller.testing.Ids;
import java.net.URI;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.jdbc.core.simple.JdbcClient;
import tools.jackson.databind.JsonNode;

/**
 * The core driven as the control plane and pageservers drive it: the real service (embedded
 * Postgres, in-process Temporal) and three simulated pageservers over HTTP on loopback.
 */
class CoreEndToEndTest extends ControllerTest {
  static final Duration DEADLINE = Duration.ofSeconds(60);

  @Autowired JdbcClient jdbc;
  PageserverFleet fleet;

  @BeforeEach
  void startFleet() {
    // One zone: placement then spreads a tenant's shards by affinity (across zones the preferred
    // zone
    // wins first, as in Neon).
    fleet =
        PageserverFleet.start(
            SimulatorOptions.defaults()
                .withPageservers(3)
                .withFirstNodeId(Ids.nodeId() * 10)
                .withAvailabilityZone(node -> "az-e2e")
                .withController(URI.create(baseUrl())));
    for (SimulatedPageserver ps : fleet.pageservers()) {
      ControllerProcess.await(
          DEADLINE,
          () ->
              "Active"
                  .equals(
                      api.get("/control/v1/node/" + ps.nodeId())
                          .json()
                          .path("availability")
                          .asString()),
          "node " + ps.nodeId() + " active");
    }
  }

  @AfterEach
  void stopFleet() {
    if (fleet != null) {
      assertThat(fleet.safety().violations()).isEmpty();
      // The database outlives this test: keep later tests from placing shards on these nodes.
      for (SimulatedPageserver ps : fleet.pageservers()) {
        api.put(
            "/control/v1/node/" + ps.nodeId() + "/config",
            "{\"node_id\":%d,\"scheduling\":\"Pause\"}".formatted(ps.nodeId().value()));
      }
      fleet.close();
    }
  }

  Response create(TenantId tenant, int shards, int secondaries) {
    String body =
        "{\"new_tenant_id\":\"%s\",\"shard_parameters\":{\"count\":%d,\"stripe_size\":2048},"
                .formatted(tenant, shards)
            + "\"placement_policy\":{\"Attached\":%d},\"gc_period\":\"1h\"}".formatted(secondaries);
    return api.post("/v1/tenant", body);
  }

  long storedGeneration(TenantShardId shard) {
    return jdbc.sql(
            "SELECT generation FROM tenant_shards WHERE tenant_id = ? AND shard_number = ? AND shard_count = ?")
        .params(
            shard.tenantId().toString(), shard.shardNumber().value(), shard.shardCount().literal())
        .query(Long.class)
        .single();
  }

  /** Every shard attached exactly where the intent says, with the database's generation. */
  void assertPlacedAsIntended(TenantId tenant, int secondariesPerShard) {
    JsonNode described = api.get("/control/v1/tenant/" + tenant).json();
    for (JsonNode shard : described.get("shards")) {
      TenantShardId id = TenantShardId.parse(shard.get("tenant_shard_id").asString());
      NodeId attached = new NodeId(shard.get("node_attached").asLong());
      List<NodeId> secondaries = new ArrayList<>();
      shard.get("node_secondary").forEach(n -> secondaries.add(new NodeId(n.asLong())));
      assertThat(secondaries).hasSize(secondariesPerShard).doesNotContain(attached);
      long generation = storedGeneration(id);
      for (SimulatedPageserver ps : fleet.pageservers()) {
        LocationConfig held = ps.location(id).orElse(null);
        if (ps.nodeId().equals(attached)) {
          assertThat(held).as("%s on %s", id, ps.nodeId()).isNotNull();
          assertThat(held.mode()).isEqualTo(LocationConfigMode.ATTACHED_SINGLE);
          assertThat(held.generation()).isEqualTo(generation);
        } else if (secondaries.contains(ps.nodeId())) {
          assertThat(held.mode())
              .as("%s on %s", id, ps.nodeId())
              .isEqualTo(LocationConfigMode.SECONDARY);
        } else {
          assertThat(held).as("%s must not be on %s", id, ps.nodeId()).isNull();
        }
      }
    }
  }

  /**
   * Waits for reconciles to settle (the check refuses while they run), then requires consistency.
   */
  void assertConsistent() {
    Response[] last = new Response[1];
    ControllerProcess.await(
        DEADLINE,
        () -> {
          last[0] = api.post("/debug/v1/consistency_check", "");
          return last[0].status() != 409;
        },
        "an idle system");
    assertThat(last[0].status()).as(last[0].body()).isEqualTo(200);
  }

  @Test
  void unshardedAndEightShardTenantsAreAttachedWhereTheIntentSays() {
    TenantId single = TenantId.generate();
    TenantId eight = TenantId.generate();
    Response r1 = create(single, 0, 1);
    assertThat(r1.status()).as(r1.body()).isEqualTo(201);
    assertThat(r1.json().get("shards")).hasSize(1);
    assertThat(r1.json().get("shards").get(0).get("shard_id").asString())
        .isEqualTo(single.toString());
    Response r8 = create(eight, 8, 1);
    assertThat(r8.status()).as(r8.body()).isEqualTo(201);
    assertThat(r8.json().get("shards")).hasSize(8);
    r8.json().get("shards").forEach(s -> assertThat(s.get("generation").asLong()).isPositive());

    assertPlacedAsIntended(single, 1);
    assertPlacedAsIntended(eight, 1);
    // The eight shards spread over all three pageservers.
    Map<Long, Integer> perNode = new HashMap<>();
    api.get("/control/v1/tenant/" + eight)
        .json()
        .get("shards")
        .forEach(s -> perNode.merge(s.get("node_attached").asLong(), 1, Integer::sum));
    assertThat(perNode).hasSize(3);
    assertThat(perNode.values()).allMatch(n -> n >= 2 && n <= 3);
    assertConsistent();
  }

  @Test
  void pageserverRestartReAttachesWithNewGenerationsAndNoExtraReconcile() {
    TenantId tenant = TenantId.generate();
    assertThat(create(tenant, 4, 0).status()).isEqualTo(201);
    JsonNode shards = api.get("/control/v1/tenant/" + tenant).json().get("shards");
    long victim = shards.get(0).get("node_attached").asLong();
    Map<TenantShardId, Long> before = new HashMap<>();
    for (JsonNode s : shards) {
      if (s.get("node_attached").asLong() == victim) {
        TenantShardId id = TenantShardId.parse(s.get("tenant_shard_id").asString());
        before.put(id, storedGeneration(id));
      }
    }
    SimulatedPageserver ps = fleet.pageserver(victim);
    int requestsBefore = ps.requests().size();
    ps.restart();

    for (Map.Entry<TenantShardId, Long> e : before.entrySet()) {
      assertThat(storedGeneration(e.getKey())).isEqualTo(e.getValue() + 1);
      LocationConfig held = ps.location(e.getKey()).orElseThrow();
      assertThat(held.mode()).isEqualTo(LocationConfigMode.ATTACHED_SINGLE);
      assertThat(held.generation()).isEqualTo(e.getValue() + 1);
    }
    ControllerProcess.await(
        DEADLINE,
        () ->
            "Active"
                .equals(
                    api.get("/control/v1/node/" + victim).json().path("availability").asString()),
        "restarted node active again");
    api.post("/debug/v1/reconcile_all", "");
    assertPlacedAsIntended(tenant, 0);
    long locationCalls =
        ps.requests().stream()
            .skip(requestsBefore)
            .filter(r -> r.method().equals("PUT") && r.uri().contains("/location_config"))
            .count();
    // Re-attach updated the observed state: at most one reconcile call per affected shard, here
    // none.
    assertThat(locationCalls).isLessThanOrEqualTo(before.size());
    assertConsistent();
  }

  @Test
  void aTenantThatCannotBeFullyScheduledLeavesNothingBehind() {
    TenantId tenant = TenantId.generate();
    // Five secondaries plus the attached location need six distinct pageservers; there are three.
    Response r = create(tenant, 2, 5);
    assertThat(r.status()).as(r.body()).isEqualTo(409);
    assertThat(r.msg()).contains("cannot schedule tenant " + tenant);
    Integer rows =
        jdbc.sql("SELECT count(*) FROM tenant_shards WHERE tenant_id = ?")
            .param(tenant.toString())
            .query(Integer.class)
            .single();
    assertThat(rows).isZero();
    assertThat(api.get("/control/v1/tenant/" + tenant).status()).isEqualTo(404);
    assertConsistent();
  }

  @Test
  void migrateMovesTheAttachmentWithANewGenerationAndNoDoubleAttach() {
    TenantId tenant = TenantId.generate();
    assertThat(create(tenant, 0, 0).status()).isEqualTo(201);
    TenantShardId shard = TenantShardId.unsharded(tenant);
    long origin =
        api.get("/control/v1/tenant/" + tenant)
            .json()
            .get("shards")
            .get(0)
            .get("node_attached")
            .asLong();
    long before = storedGeneration(shard);
    SimulatedPageserver destination =
        fleet.pageservers().stream()
            .filter(p -> p.nodeId().value() != origin)
            .findFirst()
            .orElseThrow();
    Response r =
        api.put(
            "/control/v1/tenant/" + shard + "/migrate",
            "{\"node_id\":%d,\"origin_node_id\":%d}"
                .formatted(destination.nodeId().value(), origin));
    assertThat(r.status()).as(r.body()).isEqualTo(200);
    assertThat(r.body()).isEqualTo("{}");
    ControllerProcess.await(
        DEADLINE,
        () ->
            destination
                    .location(shard)
                    .map(c -> c.mode() == LocationConfigMode.ATTACHED_SINGLE)
                    .orElse(false)
                && fleet.pageserver(origin).location(shard).isEmpty(),
        "attachment moved");
    assertThat(storedGeneration(shard)).isGreaterThan(before);
    assertThat(destination.location(shard).orElseThrow().generation())
        .isEqualTo(storedGeneration(shard));
    assertPlacedAsIntended(tenant, 0);
    assertConsistent();
  }

  @Test
  void migrateRefusesWhatCannotWorkAndChangesNothing() {
    TenantId tenant = TenantId.generate();
    assertThat(create(tenant, 0, 0).status()).isEqualTo(201);
    TenantShardId shard = TenantShardId.unsharded(tenant);
    long origin =
        api.get("/control/v1/tenant/" + tenant)
            .json()
            .get("shards")
            .get(0)
            .get("node_attached")
            .asLong();
    long other =
        fleet.pageservers().stream()
            .map(p -> p.nodeId().value())
            .filter(n -> n != origin)
            .findFirst()
            .orElseThrow();
    String path = "/control/v1/tenant/" + shard + "/migrate";

    Response unknownNode = api.put(path, "{\"node_id\":987654321987}");
    assertThat(unknownNode.status()).isEqualTo(400);
    assertThat(unknownNode.msg()).contains("987654321987");
    Response wrongOrigin =
        api.put(path, "{\"node_id\":%d,\"origin_node_id\":%d}".formatted(other, other));
    assertThat(wrongOrigin.status()).isEqualTo(412);
    api.put(
        "/control/v1/node/" + other + "/config",
        "{\"node_id\":%d,\"scheduling\":\"Pause\"}".formatted(other));
    Response paused = api.put(path, "{\"node_id\":%d}".formatted(other));
    assertThat(paused.status()).isEqualTo(412);
    assertThat(paused.msg()).contains("not schedulable");
    api.put(
        "/control/v1/node/" + other + "/config",
        "{\"node_id\":%d,\"scheduling\":\"Active\"}".formatted(other));
    assertThat(api.put(path, "{}").status()).isEqualTo(400);
    assertThat(api.put("/control/v1/tenant/not-a-shard/migrate", "{\"node_id\":1}").status())
        .isEqualTo(400);

    assertThat(
            api.get("/control/v1/tenant/" + tenant)
                .json()
                .get("shards")
                .get(0)
                .get("node_attached")
                .asLong())
        .isEqualTo(origin);
    api.put("/control/v1/tenant/" + tenant + "/policy", "{\"placement\":\"Detached\"}");
    Response detached = api.put(path, "{\"node_id\":%d}".formatted(other));
    assertThat(detached.status()).isEqualTo(412);
    assertThat(detached.msg()).contains("Detached");
    ControllerProcess.await(
        DEADLINE,
        () -> fleet.pageserver(origin).location(shard).isEmpty(),
        "detached policy applied");
    assertConsistent();
  }
}
