package io.storagecontroller.tenant;

import static org.assertj.core.api.Assertions.assertThat;

import io.storagecontroller.model.LocationConfigMode;
import io.storagecontroller.model.TenantId;
import io.storagecontroller.model.TenantShardId;
import io.storagecontroller.model.TimelineId;
import io.storagecontroller.pageserver.LocationConfig;
import io.storagecontroller.pageserver.PageserverJson;
import io.storagecontroller.testing.ApiClient;
import io.storagecontroller.testing.ApiClient.Response;
import io.storagecontroller.testing.ControllerProcess;
import io.storagecontroller.testing.FleetTest;
import io.storagecontroller.tools.simulator.SimulatedPageserver;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;

/**
 * Neon's debug import: a tenant the controller forgot (dropped from its database) and its
 * pageservers let go of is rebuilt from what remote storage holds: its shard count and stripe size,
 * attached again above every generation it had, with its timelines.
 */
class TenantImportEndToEndTest extends FleetTest {

  @Test
  void aForgottenTenantIsRebuiltFromRemoteStorageAboveItsGenerations() {
    TenantId tenant = TenantId.generate();
    assertThat(create(tenant, 2, 0).status()).isEqualTo(201);
    TimelineId timeline = TimelineId.generate();
    Response created =
        api.post(
            "/v1/tenant/" + tenant + "/timeline",
            "{\"new_timeline_id\":\"%s\",\"pg_version\":17}".formatted(timeline));
    assertThat(created.status()).as(created.body()).isEqualTo(201);
    Map<TenantShardId, Long> before = new HashMap<>();
    for (JsonNode shard : describe(tenant).get("shards")) {
      TenantShardId id = TenantShardId.parse(shard.get("tenant_shard_id").asString());
      before.put(id, storedGeneration(id));
    }
    assertThat(api.post("/debug/v1/tenant/" + tenant + "/drop", "").status()).isEqualTo(200);
    assertThat(api.get("/control/v1/tenant/" + tenant).status()).isEqualTo(404);
    // The pageservers let go too (restarted, say): only remote storage remembers the tenant.
    for (TenantShardId id : before.keySet()) {
      for (SimulatedPageserver ps : fleet.pageservers()) {
        if (ps.location(id).isPresent()) {
          Response detached =
              new ApiClient(ps.baseUrl().toString())
                  .put(
                      "/v1/tenant/" + id + "/location_config",
                      PageserverJson.mapper().writeValueAsString(LocationConfig.detached(id)));
          assertThat(detached.status()).as(detached.body()).isEqualTo(200);
        }
      }
    }

    Response imported = api.post("/debug/v1/tenant/" + tenant + "/import", "");

    assertThat(imported.status()).as(imported.body()).isEqualTo(200);
    assertThat(imported.json().get("shards")).hasSize(2);
    JsonNode described = describe(tenant);
    assertThat(described.get("stripe_size").asLong()).isEqualTo(2048);
    assertThat(described.get("policy").toString()).isEqualTo("{\"Attached\":0}");
    ControllerProcess.await(
        DEADLINE,
        () ->
            before.keySet().stream()
                .allMatch(
                    id -> storedGeneration(id) != null && storedGeneration(id) > before.get(id)),
        "the imported shards attached above their old generations");
    for (TenantShardId id : before.keySet()) {
      long generation = storedGeneration(id);
      ControllerProcess.await(
          DEADLINE,
          () -> attachedIn(id).contains(generation),
          id + " attached in generation " + generation);
    }
    assertThat(api.get("/v1/tenant/" + tenant + "/timeline/" + timeline).status()).isEqualTo(200);
  }

  @Test
  void aTenantRemoteStorageDoesNotHoldIsNotFound() {
    Response missing = api.post("/debug/v1/tenant/" + TenantId.generate() + "/import", "");
    assertThat(missing.status()).isEqualTo(404);
    assertThat(missing.msg()).contains("No shards found");
    Response sharded = api.post("/debug/v1/tenant/" + TenantId.generate() + "-0102/import", "");
    assertThat(sharded.status()).isEqualTo(400);
  }

  private JsonNode describe(TenantId tenant) {
    return api.get("/control/v1/tenant/" + tenant).json();
  }

  /** The generations the fleet holds the shard attached in. */
  private List<Long> attachedIn(TenantShardId id) {
    return fleet.pageservers().stream()
        .map((SimulatedPageserver ps) -> ps.location(id))
        .flatMap(java.util.Optional::stream)
        .filter(c -> c.mode() == LocationConfigMode.ATTACHED_SINGLE)
        .map(c -> c.generation())
        .toList();
  }
}
