package io.storagecontroller.debug;

import static org.assertj.core.api.Assertions.assertThat;

import io.storagecontroller.model.TenantId;
import io.storagecontroller.model.TenantShardId;
import io.storagecontroller.tools.simulator.SimulatedPageserver;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;

/**
 * Tenant and node drops against real (simulated) pageservers: the controller forgets, the
 * pageservers are not called, and the consistency check passes afterwards.
 */
class DropWithPageserversTest extends FleetTestSupport {

  @Test
  void droppingATenantForgetsItWithoutPageserverCallsAndStaysConsistent() {
    // Otherwise a node's first scan, still to come, may detach what the drop leaves behind.
    awaitActivationScans();
    TenantId tenant = TenantId.generate();
    createWithSecondary(tenant, 2);
    List<TenantShardId> shards = new ArrayList<>();
    for (JsonNode s : api.get("/control/v1/tenant/" + tenant).json().get("shards")) {
      shards.add(TenantShardId.parse(s.get("tenant_shard_id").asString()));
    }
    assertThat(shards).hasSize(2);
    Map<SimulatedPageserver, Long> callsBefore = new HashMap<>();
    for (SimulatedPageserver ps : fleet.pageservers()) {
      callsBefore.put(ps, locationConfigCalls(ps));
      shards.forEach(s -> assertThat(ps.location(s)).as("%s on %s", s, ps.nodeId()).isPresent());
    }

    assertNullBody(api.post("/debug/v1/tenant/" + tenant + "/drop", ""));

    assertThat(tenantRows(tenant)).isZero();
    Integer health =
        jdbc.sql("SELECT count(*) FROM metadata_health WHERE tenant_id = ?")
            .param(tenant.toString())
            .query(Integer.class)
            .single();
    assertThat(health).isZero();
    assertThat(api.get("/control/v1/tenant/" + tenant).status()).isEqualTo(404);
    shards.forEach(s -> assertThat(dumped(s)).isNull());
    shards.forEach(s -> assertThat(inspect(s).isNull()).isTrue());
    assertConsistent();
    // No teardown: the pageservers still hold every location, and were not called.
    for (SimulatedPageserver ps : fleet.pageservers()) {
      shards.forEach(s -> assertThat(ps.location(s)).isPresent());
      assertThat(locationConfigCalls(ps)).isEqualTo(callsBefore.get(ps));
    }
    // The scheduler released the counts: nothing is counted on either node any more.
    JsonNode scheduler = api.get("/debug/v1/scheduler").json().get("nodes");
    for (SimulatedPageserver ps : fleet.pageservers()) {
      assertThat(scheduler.at("/" + ps.nodeId() + "/shard_count").asLong()).isZero();
    }

    assertRefused(
        api.post("/debug/v1/tenant/" + tenant + "/drop", ""),
        404,
        "NotFound: Tenant " + tenant + " not found");
  }

  @Test
  void droppingANodeDereferencesEveryIntentWithoutPageserverCallsAndStaysConsistent() {
    TenantId tenant = TenantId.generate();
    createWithSecondary(tenant, 2);
    SimulatedPageserver dropped = fleet.pageservers().get(0);
    SimulatedPageserver kept = fleet.pageservers().get(1);
    long droppedId = dropped.nodeId().value();
    long callsBefore = locationConfigCalls(dropped);
    Map<TenantShardId, Long> attachedBefore = new HashMap<>();
    for (JsonNode s : api.get("/control/v1/tenant/" + tenant).json().get("shards")) {
      attachedBefore.put(
          TenantShardId.parse(s.get("tenant_shard_id").asString()),
          s.get("node_attached").asLong());
    }

    assertNullBody(api.post("/debug/v1/node/" + droppedId + "/drop", ""));

    // Gone from memory, the scheduler and the listings; kept as a tombstone.
    assertThat(api.get("/control/v1/node/" + droppedId).status()).isEqualTo(404);
    assertThat(api.get("/control/v1/node/" + droppedId + "/shards").status()).isEqualTo(404);
    assertThat(api.get("/debug/v1/scheduler").json().get("nodes").has(Long.toString(droppedId)))
        .isFalse();
    List<Long> tombstones = new ArrayList<>();
    api.get("/debug/v1/tombstone").json().forEach(n -> tombstones.add(n.get("id").asLong()));
    assertThat(tombstones).contains(droppedId);
    String lifecycle =
        jdbc.sql("SELECT lifecycle FROM nodes WHERE node_id = ?")
            .param(droppedId)
            .query(String.class)
            .single();
    assertThat(lifecycle).isEqualTo("deleted");

    // No intent, in memory or in Postgres, names it; nothing was rescheduled.
    for (JsonNode s : api.get("/control/v1/tenant/" + tenant).json().get("shards")) {
      TenantShardId id = TenantShardId.parse(s.get("tenant_shard_id").asString());
      assertThat(s.get("node_secondary").toString()).doesNotContain(Long.toString(droppedId));
      if (attachedBefore.get(id) == droppedId) {
        assertThat(s.get("node_attached").isNull()).as("%s", s).isTrue();
        assertThat(s.get("node_secondary").get(0).asLong()).isEqualTo(kept.nodeId().value());
      } else {
        assertThat(s.get("node_attached").asLong()).isEqualTo(kept.nodeId().value());
        assertThat(s.get("node_secondary")).isEmpty();
      }
      Map<String, Object> row = row(id);
      assertThat(row.get("intended_attached_node")).isNotEqualTo(droppedId);
      assertThat(String.valueOf(row.get("secondaries"))).doesNotContain(Long.toString(droppedId));
      assertThat(dumped(id).at("/observed/locations").has(Long.toString(droppedId))).isFalse();
    }
    assertConsistent();

    // The pageserver was not told: it still holds its locations and saw no new calls.
    attachedBefore.keySet().forEach(s -> assertThat(dropped.location(s)).isPresent());
    assertThat(locationConfigCalls(dropped)).isEqualTo(callsBefore);

    // Its id is blocked until the tombstone goes.
    String registration = registration(droppedId, dropped.port());
    assertRefused(api.post("/control/v1/node", registration), 409, "Conflict");
    assertNullBody(api.delete("/debug/v1/tombstone/" + droppedId));
    assertThat(api.post("/control/v1/node", registration).status()).isEqualTo(200);
    assertConsistent();
  }
}
