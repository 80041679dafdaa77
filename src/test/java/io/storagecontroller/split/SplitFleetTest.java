package io.storagecontroller.split;

import static org.assertj.core.api.Assertions.assertThat;

import io.storagecontroller.model.LocationConfigMode;
import io.storagecontroller.model.TenantId;
import io.storagecontroller.model.TenantShardId;
import io.storagecontroller.model.TimelineId;
import io.storagecontroller.pageserver.LocationConfig;
import io.storagecontroller.testing.ApiClient;
import io.storagecontroller.testing.ApiClient.Response;
import io.storagecontroller.testing.ControllerProcess;
import io.storagecontroller.testing.FleetTest;
import io.storagecontroller.tools.simulator.SimulatedPageserver;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.AfterEach;
import tools.jackson.databind.JsonNode;

/** What the split tests check on the fleet: where shards are, what pageservers hold, timelines. */
abstract class SplitFleetTest extends FleetTest {
  /** Neon's names for the places a split can be made to fail or pause. */
  static final List<String> FAILPOINTS =
      List.of(
          "shard-split-validation",
          "shard-split-post-begin",
          "shard-split-post-remote",
          "shard-split-pre-complete",
          "shard-split-post-complete");

  /** Failpoints are process-wide: no test may leave one behind for the next. */
  @AfterEach
  void clearFailpoints() {
    FAILPOINTS.forEach(name -> failpoint(name, "off"));
  }

  void failpoint(String name, String actions) {
    api.failpoint(name, actions);
  }

  /** Starts the split without waiting for its answer. */
  CompletableFuture<Response> splitInBackground(TenantId tenant, int count) {
    return CompletableFuture.supplyAsync(() -> split(tenant, count));
  }

  /** The tenant's latest split operation, as the operations API shows it. */
  JsonNode latestSplit(TenantId tenant) {
    for (JsonNode op : api.get("/control/v1/operations?limit=1000").json()) {
      if (op.get("kind").asString().equals("split")
          && op.get("target").asString().equals(tenant.toString())) {
        return op;
      }
    }
    return null;
  }

  /** Waits until the tenant's latest split has split this many parents on pageservers. */
  void awaitParentsSplit(TenantId tenant, int parents) {
    ControllerProcess.await(
        DEADLINE,
        () -> {
          JsonNode op = latestSplit(tenant);
          return op != null && op.get("progress_done").asInt() >= parents;
        },
        parents + " parents split");
  }

  /** Location calls the pageservers received for this tenant's shards. */
  long locationCalls(TenantId tenant) {
    return fleet.pageservers().stream()
        .flatMap(p -> p.requests().stream())
        .filter(
            r -> r.uri().contains("/v1/tenant/" + tenant) && r.uri().contains("location_config"))
        .count();
  }

  Response split(TenantId tenant, int count) {
    return api.put(
        "/control/v1/tenant/" + tenant + "/shard_split",
        "{\"new_shard_count\":%d}".formatted(count));
  }

  List<TenantShardId> shardIds(TenantId tenant) {
    List<TenantShardId> ids = new ArrayList<>();
    for (JsonNode s : api.get("/control/v1/tenant/" + tenant).json().get("shards")) {
      ids.add(TenantShardId.parse(s.get("tenant_shard_id").asString()));
    }
    return ids;
  }

  static List<TenantShardId> ids(Response response) {
    List<TenantShardId> ids = new ArrayList<>();
    response.json().get("new_shards").forEach(s -> ids.add(TenantShardId.parse(s.asString())));
    return ids;
  }

  TimelineId createTimeline(TenantId tenant) {
    TimelineId timeline = TimelineId.generate();
    Response created =
        api.post(
            "/v1/tenant/" + tenant + "/timeline",
            "{\"new_timeline_id\":\"%s\",\"pg_version\":16}".formatted(timeline));
    assertThat(created.status()).as(created.body()).isEqualTo(201);
    return timeline;
  }

  /** Reconciles until the controller is idle and consistent (memory, database, scheduler). */
  void awaitSettled() {
    ControllerProcess.await(
        DEADLINE,
        () -> {
          api.post("/debug/v1/reconcile_all", "");
          return api.post("/debug/v1/consistency_check", "").status() == 200;
        },
        "an idle, consistent controller");
    assertConsistent();
  }

  /**
   * The tenant is exactly these shards, each attached (AttachedSingle, the database's generation)
   * where the controller says, and no pageserver holds any other shard id of the tenant: neither a
   * leftover parent nor a leftover child.
   */
  void assertExactly(TenantId tenant, List<TenantShardId> expected) {
    assertThat(shardIds(tenant)).containsExactlyElementsOf(expected);
    assertThat(
            jdbc.sql("SELECT count(*) FROM tenant_shards WHERE tenant_id = ? AND splitting <> 0")
                .param(tenant.toString())
                .query(Long.class)
                .single())
        .isZero();
    for (JsonNode s : api.get("/control/v1/tenant/" + tenant).json().get("shards")) {
      TenantShardId id = TenantShardId.parse(s.get("tenant_shard_id").asString());
      long attached = s.get("node_attached").asLong();
      LocationConfig held = fleet.pageserver(attached).location(id).orElse(null);
      assertThat(held).as("%s on node %d", id, attached).isNotNull();
      assertThat(held.mode()).isEqualTo(LocationConfigMode.ATTACHED_SINGLE);
      assertThat(held.generation()).isEqualTo(storedGeneration(id));
      assertThat(s.get("is_splitting").asBoolean()).isFalse();
    }
    for (SimulatedPageserver ps : fleet.pageservers()) {
      for (Map.Entry<TenantShardId, LocationConfig> held : ps.locations().entrySet()) {
        if (held.getKey().tenantId().equals(tenant)) {
          assertThat(expected)
              .as("node %s holds %s", ps.nodeId(), held.getKey())
              .contains(held.getKey());
        }
      }
    }
  }

  /** Every shard's pageserver has the timelines, and a read through the controller lists them. */
  void assertTimelines(TenantId tenant, List<TimelineId> timelines) {
    for (JsonNode s : api.get("/control/v1/tenant/" + tenant).json().get("shards")) {
      String shard = s.get("tenant_shard_id").asString();
      SimulatedPageserver holder = fleet.pageserver(s.get("node_attached").asLong());
      Response list =
          new ApiClient(holder.baseUrl().toString()).get("/v1/tenant/" + shard + "/timeline");
      assertThat(list.status()).isEqualTo(200);
      timelines.forEach(t -> assertThat(list.body()).as(shard).contains(t.toString()));
    }
    Response relayed = api.get("/v1/tenant/" + tenant + "/timeline");
    assertThat(relayed.status()).as(relayed.body()).isEqualTo(200);
    timelines.forEach(t -> assertThat(relayed.body()).contains(t.toString()));
    for (TimelineId t : timelines) {
      Response detail = api.get("/v1/tenant/" + tenant + "/timeline/" + t);
      assertThat(detail.status()).as(detail.body()).isEqualTo(200);
    }
  }

  /** The tenant's split operations, oldest first. */
  List<Map<String, Object>> splitOperations(TenantId tenant) {
    return jdbc.sql(
            "SELECT id, state, phase, progress_done, progress_total, error, parameters"
                + " FROM operations WHERE kind = 'split' AND target = ? ORDER BY id")
        .param(tenant.toString())
        .query()
        .listOfRows();
  }
}
