package io.storagecontroller.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import io.storagecontroller.model.LocationConfigMode;
import io.storagecontroller.model.TenantId;
import io.storagecontroller.model.TenantShardId;
import io.storagecontroller.pageserver.LocationConfig;
import io.storagecontroller.testing.ApiClient.Response;
import io.storagecontroller.testing.ControllerProcess;
import io.storagecontroller.testing.FleetTest;
import io.storagecontroller.tools.simulator.SimulatedPageserver;
import java.time.Instant;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;

/** The core: placement, generations, re-attach, all-or-nothing creation, migration. */
class CoreEndToEndTest extends FleetTest {
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
    // Spread by affinity over all three pageservers (secondaries count too, so not always 3-3-2).
    assertThat(perNode).hasSize(3);
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

  /** Numbers past a field's range are a 400 naming the field, not a 500 from the JSON library. */
  @Test
  void aCreateWithOutOfRangeNumbersIsRefusedAndLeavesNothing() {
    TenantId tenant = TenantId.generate();
    String huge = "18446744073709551616";
    for (String[] bad :
        new String[][] {
          {"{\"new_tenant_id\":\"%s\",\"generation\":%s}".formatted(tenant, huge), "generation"},
          {"{\"new_tenant_id\":\"%s\",\"generation\":-1}".formatted(tenant), "generation"},
          // Past what the INTEGER column holds, though within Neon's u32.
          {
            "{\"new_tenant_id\":\"%s\",\"generation\":3000000000}".formatted(tenant),
            "0 to 2147483647"
          },
          {
            "{\"new_tenant_id\":\"%s\",\"shard_parameters\":{\"count\":2,\"stripe_size\":3000000000}}"
                .formatted(tenant),
            "shard_parameters.stripe_size"
          },
          {
            "{\"new_tenant_id\":\"%s\",\"shard_parameters\":{\"count\":%s}}"
                .formatted(tenant, huge),
            "shard_parameters.count"
          },
        }) {
      Response r = api.post("/v1/tenant", bad[0]);
      assertThat(r.status()).as(bad[0] + " -> " + r.body()).isEqualTo(400);
      assertThat(r.msg()).contains(bad[1]);
    }
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

  @Test
  void anIntentChangeWhileAReconcileRunsIsNotLost() {
    TenantId tenant = TenantId.generate();
    assertThat(create(tenant, 0, 0).status()).isEqualTo(201);
    TenantShardId shard = TenantShardId.unsharded(tenant);
    SimulatedPageserver holder =
        fleet.pageservers().stream()
            .filter(p -> p.location(shard).isPresent())
            .findFirst()
            .orElseThrow();
    holder.fault(io.storagecontroller.tools.simulator.Fault.slow(java.time.Duration.ofMillis(800)));
    try {
      String config = "{\"tenant_id\":\"%s\",\"gc_period\":\"%s\"}";
      // The first change starts a reconcile that stays busy on the slow pageserver; the second
      // arrives while it runs and must be signalled to it, not refused.
      Instant started = Instant.now();
      CompletableFuture<Response> first =
          CompletableFuture.supplyAsync(
              () -> api.put("/v1/tenant/config", config.formatted(tenant, "3h")));
      ControllerProcess.await(
          DEADLINE,
          () ->
              holder.requests().stream()
                  .anyMatch(r -> r.uri().contains("/location_config") && r.at().isAfter(started)),
          "the first reconcile reached the pageserver");
      Response second = api.put("/v1/tenant/config", config.formatted(tenant, "2h"));
      assertThat(second.status()).as(second.body()).isEqualTo(200);
      assertThat(first.join().status()).isEqualTo(200);
      ControllerProcess.await(
          DEADLINE,
          () ->
              "2h"
                  .equals(
                      holder
                          .location(shard)
                          .orElseThrow()
                          .tenantConf()
                          .path("gc_period")
                          .asString()),
          "the last change applied");
    } finally {
      holder.clearFaults();
    }
    assertConsistent();
  }
}
