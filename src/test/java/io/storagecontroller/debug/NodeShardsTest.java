package io.storagecontroller.debug;

import static org.assertj.core.api.Assertions.assertThat;

import io.storagecontroller.model.TenantId;
import io.storagecontroller.model.TenantShardId;
import io.storagecontroller.testing.ApiClient.Response;
import io.storagecontroller.tools.simulator.SimulatedPageserver;
import java.util.HashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;

/**
 * {@code GET /control/v1/node/:node_id/shards} and {@code GET /debug/v1/tenant} once real
 * (simulated) pageservers hold the locations.
 */
class NodeShardsTest extends FleetTestSupport {

  @Test
  void eachNodeListsItsAttachedAndSecondaryShards() {
    TenantId tenant = TenantId.generate();
    createWithSecondary(tenant, 2);
    Map<String, Long> attachedOn = new HashMap<>();
    for (JsonNode s : api.get("/control/v1/tenant/" + tenant).json().get("shards")) {
      attachedOn.put(s.get("tenant_shard_id").asString(), s.get("node_attached").asLong());
    }

    for (SimulatedPageserver ps : fleet.pageservers()) {
      long node = ps.nodeId().value();
      Response r = api.get("/control/v1/node/" + node + "/shards");
      assertThat(r.status()).as(r.body()).isEqualTo(200);
      assertThat(r.header("Content-Type")).startsWith("application/json");
      assertThat(r.json().get("node_id").asLong()).isEqualTo(node);
      Map<String, JsonNode> listed = new HashMap<>();
      r.json().get("shards").forEach(s -> listed.put(s.get("tenant_shard_id").asString(), s));
      // Both shards use both nodes (one attached, one secondary location each).
      assertThat(listed).containsOnlyKeys(attachedOn.keySet());
      for (Map.Entry<String, Long> e : attachedOn.entrySet()) {
        JsonNode s = listed.get(e.getKey());
        boolean secondaryHere = e.getValue() != node;
        assertThat(s.get("is_intended_secondary").asBoolean()).as("%s", s).isEqualTo(secondaryHere);
        assertThat(s.get("is_observed_secondary").asBoolean()).as("%s", s).isEqualTo(secondaryHere);
      }
    }
  }

  @Test
  void theTenantDumpShowsIntentAndObservedLocations() {
    TenantId tenant = TenantId.generate();
    createWithSecondary(tenant, 2);
    for (JsonNode described : api.get("/control/v1/tenant/" + tenant).json().get("shards")) {
      TenantShardId id = TenantShardId.parse(described.get("tenant_shard_id").asString());
      long attached = described.get("node_attached").asLong();
      long secondary = described.get("node_secondary").get(0).asLong();
      long generation = ((Number) row(id).get("generation")).longValue();

      JsonNode dump = dumped(id);
      assertThat(dump).as("dump of %s", id).isNotNull();
      assertThat(dump.get("generation").asLong()).isEqualTo(generation);
      assertThat(dump.get("generation_pageserver").asLong()).isEqualTo(attached);
      assertThat(dump.get("policy").toString()).isEqualTo("{\"Attached\":1}");
      assertThat(dump.at("/intent/attached").asLong()).isEqualTo(attached);
      assertThat(dump.at("/intent/secondary/0").asLong()).isEqualTo(secondary);
      assertThat(dump.at("/intent/preferred_az_id").asString()).isEqualTo("az-debug");
      JsonNode onAttached = dump.at("/observed/locations/" + attached);
      assertThat(onAttached.get("mode").asString()).isEqualTo("AttachedSingle");
      assertThat(onAttached.get("generation").asLong()).isEqualTo(generation);
      JsonNode onSecondary = dump.at("/observed/locations/" + secondary);
      assertThat(onSecondary.get("mode").asString()).isEqualTo("Secondary");
      assertThat(onSecondary.get("generation").isNull()).isTrue();
      assertThat(dump.get("pending_compute_notification").asBoolean()).isFalse();
      // The tenant config (here with the heatmap period) is not part of the dump.
      assertThat(dump.toString()).doesNotContain("tenant_conf").doesNotContain("heatmap_period");
    }
    assertConsistent();
  }
}
