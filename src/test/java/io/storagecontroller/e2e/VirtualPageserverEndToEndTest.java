package io.storagecontroller.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import io.storagecontroller.model.LocationConfigMode;
import io.storagecontroller.model.TenantId;
import io.storagecontroller.model.TenantShardId;
import io.storagecontroller.model.TimelineId;
import io.storagecontroller.testing.ApiClient;
import io.storagecontroller.testing.ApiClient.Response;
import io.storagecontroller.testing.ControllerProcess;
import io.storagecontroller.testing.FleetTest;
import io.storagecontroller.tools.simulator.RecordedRequest;
import io.storagecontroller.tools.simulator.SimulatedPageserver;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;

/** The control plane's view: the controller as one "virtual pageserver". */
class VirtualPageserverEndToEndTest extends FleetTest {

  static String locationConfig(String mode, Long generation, String conf) {
    return "{\"mode\":\"%s\",\"generation\":%s,\"secondary_conf\":null,\"shard_number\":0,\"shard_count\":0,"
            .formatted(mode, generation == null ? "null" : generation.toString())
        + "\"shard_stripe_size\":32768,\"tenant_conf\":%s}".formatted(conf);
  }

  Optional<SimulatedPageserver> holding(TenantShardId id, LocationConfigMode mode) {
    return fleet.pageservers().stream()
        .filter(p -> p.location(id).map(c -> c.mode() == mode).orElse(false))
        .findFirst();
  }

  @Test
  void onboardingSecondaryThenAttachedThenAStaleCallThatOnlyChangesConfig() {
    TenantId tenant = TenantId.generate();
    TenantShardId id = TenantShardId.unsharded(tenant);
    String path = "/v1/tenant/" + tenant + "/location_config";

    Response secondary = api.put(path, locationConfig("Secondary", null, "{}"));
    assertThat(secondary.status()).as(secondary.body()).isEqualTo(200);
    assertThat(secondary.json().get("shards")).isEmpty();
    assertThat(storedGeneration(id)).isNull();
    ControllerProcess.await(
        DEADLINE, () -> holding(id, LocationConfigMode.SECONDARY).isPresent(), "secondary");
    SimulatedPageserver warm = holding(id, LocationConfigMode.SECONDARY).orElseThrow();

    long imported = 5;
    Response attach =
        api.put(path, locationConfig("AttachedMulti", imported, "{\"gc_period\":\"1h\"}"));
    assertThat(attach.status()).as(attach.body()).isEqualTo(200);
    assertThat(attach.json().get("shards")).hasSize(1);
    assertThat(attach.json().get("stripe_size").isNull()).isTrue();
    ControllerProcess.await(
        DEADLINE, () -> holding(id, LocationConfigMode.ATTACHED_SINGLE).isPresent(), "attached");
    // Attached where the warm secondary was, with the imported generation + 1.
    assertThat(holding(id, LocationConfigMode.ATTACHED_SINGLE).orElseThrow().nodeId())
        .isEqualTo(warm.nodeId());
    assertThat(storedGeneration(id)).isEqualTo(imported + 1);

    // A later call with a stale generation changes the config only.
    Response stale =
        api.put(path, locationConfig("AttachedSingle", imported, "{\"gc_period\":\"2h\"}"));
    assertThat(stale.status()).isEqualTo(200);
    ControllerProcess.await(
        DEADLINE,
        () ->
            warm.location(id)
                .map(c -> "2h".equals(c.tenantConf().path("gc_period").asString()))
                .orElse(false),
        "config pushed");
    assertThat(storedGeneration(id)).isEqualTo(imported + 1);
    assertThat(warm.location(id).orElseThrow().generation()).isEqualTo(imported + 1);
    assertThat(api.post("/debug/v1/reconcile_all", "").body()).isEqualTo("0");
    assertConsistent();
  }

  @Test
  void locationConfigRefusesBadInput() {
    TenantId tenant = TenantId.generate();
    assertThat(
            api.put(
                    "/v1/tenant/" + tenant + "-0104/location_config",
                    locationConfig("Secondary", null, "{}"))
                .status())
        .isEqualTo(400);
    assertThat(
            api.put("/v1/tenant/" + tenant + "/location_config", "{\"mode\":\"Secondary\"}").msg())
        .contains("tenant_conf");
    assertThat(
            api.put(
                    "/v1/tenant/" + tenant + "/location_config",
                    "{\"mode\":\"Secondary\",\"tenant_conf\":{},\"tenant_id\":\"x\"}")
                .msg())
        .contains("unknown field `tenant_id`");
    assertThat(
            api.put(
                    "/v1/tenant/" + tenant + "/location_config",
                    "{\"mode\":\"Sideways\",\"tenant_conf\":{}}")
                .status())
        .isEqualTo(400);
    assertThat(api.get("/control/v1/tenant/" + tenant).status()).isEqualTo(404);
  }

  @Test
  void configChangeReachesPageserversWithoutANewGeneration() {
    TenantId tenant = TenantId.generate();
    assertThat(create(tenant, 2, 0).status()).isEqualTo(201);
    TenantShardId zero = TenantShardId.parse(tenant + "-0002");
    long generation = storedGeneration(zero);
    Response put =
        api.put(
            "/v1/tenant/config",
            "{\"tenant_id\":\"%s\",\"gc_period\":\"3h\",\"pitr_interval\":\"1d\"}"
                .formatted(tenant));
    assertThat(put.status()).as(put.body()).isEqualTo(200);
    SimulatedPageserver holder = holding(zero, LocationConfigMode.ATTACHED_SINGLE).orElseThrow();
    ControllerProcess.await(
        DEADLINE,
        () ->
            "3h"
                .equals(
                    holder.location(zero).orElseThrow().tenantConf().path("gc_period").asString()),
        "config applied");
    assertThat(storedGeneration(zero)).isEqualTo(generation);
    assertThat(holder.location(zero).orElseThrow().generation()).isEqualTo(generation);

    Response patch =
        api.send(
            "PATCH",
            "/v1/tenant/config",
            "{\"tenant_id\":\"%s\",\"pitr_interval\":null}".formatted(tenant),
            java.util.Map.of("Content-Type", "application/json"));
    assertThat(patch.status()).as(patch.body()).isEqualTo(200);
    JsonNode config = api.get("/v1/tenant/" + tenant + "/config").json();
    assertThat(config.get("tenant_specific_overrides").get("gc_period").asString()).isEqualTo("3h");
    assertThat(config.get("tenant_specific_overrides").has("pitr_interval")).isFalse();
    assertThat(config.get("effective_config")).isEqualTo(config.get("tenant_specific_overrides"));
    assertThat(
            api.put(
                    "/v1/tenant/config",
                    "{\"tenant_id\":\"%s\",\"no_such_knob\":1}".formatted(tenant))
                .status())
        .isEqualTo(400);
    assertConsistent();
  }

  @Test
  void timelinesFanOutShardZeroFirstOnCreateAndLastOnDelete() {
    TenantId tenant = TenantId.generate();
    assertThat(create(tenant, 4, 0).status()).isEqualTo(201);
    TimelineId timeline = TimelineId.generate();
    Instant before = Instant.now();
    Response created =
        api.post(
            "/v1/tenant/" + tenant + "/timeline",
            "{\"new_timeline_id\":\"%s\",\"pg_version\":16}".formatted(timeline));
    assertThat(created.status()).as(created.body()).isEqualTo(201);
    assertThat(created.json().get("timeline_id").asString()).isEqualTo(timeline.toString());
    assertThat(created.json().has("safekeepers")).isTrue();

    List<RecordedRequest> creates = requests("POST", "/timeline", before);
    assertThat(creates).hasSize(4);
    assertThat(creates.get(0).uri()).contains(tenant + "-0004/");
    for (int n = 0; n < 4; n++) {
      TenantShardId shard = TenantShardId.parse(tenant + "-0%d04".formatted(n));
      SimulatedPageserver holder = holding(shard, LocationConfigMode.ATTACHED_SINGLE).orElseThrow();
      Response list =
          new ApiClient(holder.baseUrl().toString()).get("/v1/tenant/" + shard + "/timeline");
      assertThat(list.body()).contains(timeline.toString());
    }

    // Pass-through reads go to shard 0 with the id rewritten.
    Response relayed = api.get("/v1/tenant/" + tenant + "/timeline");
    assertThat(relayed.status()).isEqualTo(200);
    assertThat(relayed.body()).contains(timeline.toString());
    assertThat(api.get("/v1/tenant/" + tenant).status()).isEqualTo(200);
    assertThat(api.get("/v1/tenant/" + TenantId.generate() + "/timeline").status()).isEqualTo(404);
    // Neon's pass-through metrics, by pageserver and the path without ids.
    assertThat(api.get("/metrics").body())
        .containsPattern(
            "storage_controller_passthrough_request_latency_count\\{method=\"get\","
                + "pageserver_id=\"\\d+\",path=\"v1_tenant_timeline\"}");

    Instant beforeDelete = Instant.now();
    Response deleted = api.delete("/v1/tenant/" + tenant + "/timeline/" + timeline);
    assertThat(deleted.status()).as(deleted.body()).isEqualTo(200);
    List<RecordedRequest> deletes = requests("DELETE", "/timeline/" + timeline, beforeDelete);
    assertThat(deletes.get(deletes.size() - 1).uri()).contains(tenant + "-0004/");
    assertThat(deletes.stream().filter(r -> r.uri().contains(tenant + "-0004/")).count())
        .isGreaterThanOrEqualTo(1);
    assertConsistent();
  }

  @Test
  void secondaryDownloadAndTimeTravel() {
    TenantId tenant = TenantId.generate();
    assertThat(create(tenant, 0, 1).status()).isEqualTo(201);
    ControllerProcess.await(
        DEADLINE,
        () ->
            api.post("/v1/tenant/" + tenant + "/secondary/download?wait_ms=200", "").status()
                == 200,
        "secondary downloaded");
    JsonNode progress = api.post("/v1/tenant/" + tenant + "/secondary/download", "").json();
    assertThat(progress.get("layers_downloaded").asLong())
        .isEqualTo(progress.get("layers_total").asLong());

    String travel =
        "/v1/tenant/"
            + tenant
            + "/time_travel_remote_storage?travel_to=2024-01-01T00:00:00Z&done_if_after=2024-01-01T00:00:01Z";
    Response refused = api.put(travel, "{\"shard_counts\":[0]}");
    assertThat(refused.status()).isEqualTo(412);
    api.put("/control/v1/tenant/" + tenant + "/policy", "{\"placement\":\"Detached\"}");
    TenantShardId id = TenantShardId.unsharded(tenant);
    ControllerProcess.await(
        DEADLINE,
        () -> fleet.pageservers().stream().allMatch(p -> p.location(id).isEmpty()),
        "detached");
    ControllerProcess.await(
        DEADLINE, () -> api.put(travel, "{\"shard_counts\":[0,2]}").status() == 200, "travel");
    assertThat(
            api.put(travel.replace("2024-01-01T00:00:00Z", "yesterday"), "{\"shard_counts\":[0]}")
                .status())
        .isEqualTo(400);
    Response tooBig = api.put(travel, "{\"shard_counts\":[18446744073709551616]}");
    assertThat(tooBig.status()).isEqualTo(400);
    assertThat(tooBig.msg()).contains("invalid shard count 18446744073709551616");
    assertConsistent();
  }

  @Test
  void tenantDeleteDetachesThenDeletesRemoteDataShardZeroLast() {
    TenantId tenant = TenantId.generate();
    assertThat(create(tenant, 4, 1).status()).isEqualTo(201);
    TimelineId timeline = TimelineId.generate();
    assertThat(
            api.post(
                    "/v1/tenant/" + tenant + "/timeline",
                    "{\"new_timeline_id\":\"%s\",\"pg_version\":16}".formatted(timeline))
                .status())
        .isEqualTo(201);
    Instant before = Instant.now();
    Response deleted = api.delete("/v1/tenant/" + tenant);
    assertThat(deleted.status()).as(deleted.body()).isEqualTo(200);
    assertThat(deleted.body()).isEqualTo("null");
    for (int n = 0; n < 4; n++) {
      TenantShardId shard = TenantShardId.parse(tenant + "-0%d04".formatted(n));
      assertThat(fleet.pageservers()).allMatch(p -> p.location(shard).isEmpty());
      assertThat(fleet.remoteStorage().timelineIds(shard)).isEmpty();
    }
    List<RecordedRequest> deletes = requests("DELETE", "/v1/tenant/" + tenant, before);
    assertThat(deletes.get(deletes.size() - 1).uri()).endsWith(tenant + "-0004");
    assertThat(api.get("/control/v1/tenant/" + tenant).status()).isEqualTo(404);
    assertThat(api.delete("/v1/tenant/" + tenant).status()).isEqualTo(404);
    assertThat(
            jdbc.sql("SELECT count(*) FROM tenant_shards WHERE tenant_id = ?")
                .param(tenant.toString())
                .query(Integer.class)
                .single())
        .isZero();
    assertConsistent();
  }

  List<RecordedRequest> requests(String method, String uriPart, Instant since) {
    List<RecordedRequest> out = new ArrayList<>();
    fleet
        .pageservers()
        .forEach(
            p ->
                p.requests().stream()
                    .filter(
                        r ->
                            r.method().equals(method)
                                && r.uri().contains(uriPart)
                                && !r.at().isBefore(since))
                    .forEach(out::add));
    out.sort(java.util.Comparator.comparing(RecordedRequest::at));
    return out;
  }
}
