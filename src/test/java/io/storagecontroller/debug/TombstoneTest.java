package io.storagecontroller.debug;

import static org.assertj.core.api.Assertions.assertThat;

import io.storagecontroller.model.TenantId;
import io.storagecontroller.model.TenantShardId;
import io.storagecontroller.testing.ApiClient.Response;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import tools.jackson.databind.JsonNode;

/** Node drop leaves a tombstone that blocks the id until the tombstone is deleted. */
class TombstoneTest extends DebugRoutesTestSupport {

  private List<Long> tombstoneIds() {
    Response r = api.get("/debug/v1/tombstone");
    assertThat(r.status()).as(r.body()).isEqualTo(200);
    List<Long> ids = new ArrayList<>();
    r.json().forEach(n -> ids.add(n.get("id").asLong()));
    return ids;
  }

  @Test
  void aDroppedNodeCannotRegisterAgainUntilItsTombstoneIsDeleted() {
    long node = registerOfflineNode();

    assertNullBody(api.post("/debug/v1/node/" + node + "/drop", ""));
    assertThat(api.get("/control/v1/node/" + node).status()).isEqualTo(404);
    assertThat(api.get("/control/v1/node").json().toString())
        .doesNotContain("\"id\":" + node + ",");
    assertThat(tombstoneIds()).contains(node);
    JsonNode tombstone = null;
    for (JsonNode n : api.get("/debug/v1/tombstone").json()) {
      if (n.get("id").asLong() == node) {
        tombstone = n;
      }
    }
    assertThat(tombstone.get("listen_http_addr").asString()).isEqualTo("127.0.0.1");
    assertThat(tombstone.get("availability_zone_id").asString()).isEqualTo("az-debug");
    assertThat(tombstone.get("scheduling").asString()).isEqualTo("Active");
    assertThat(tombstone.get("availability").asString()).isEqualTo("Offline");
    assertConsistent();

    assertRefused(api.post("/control/v1/node", registration(node, 1)), 409, "Conflict");
    // Dropping it again: it is not a registered node any more.
    assertRefused(api.post("/debug/v1/node/" + node + "/drop", ""), 404, "NotFound");

    assertNullBody(api.delete("/debug/v1/tombstone/" + node));
    assertThat(tombstoneIds()).doesNotContain(node);
    assertRefused(api.delete("/debug/v1/tombstone/" + node), 404, "NotFound");

    Response again = api.post("/control/v1/node", registration(node, 1));
    assertThat(again.status()).as(again.body()).isEqualTo(200);
    assertThat(api.get("/control/v1/node/" + node).status()).isEqualTo(200);
    assertConsistent();
  }

  @Test
  void aLiveNodeHasNoTombstoneToDelete() {
    long node = registerOfflineNode();
    assertRefused(api.delete("/debug/v1/tombstone/" + node), 409, "Conflict: Node " + node);
    assertThat(api.get("/control/v1/node/" + node).status()).isEqualTo(200);
  }

  @Test
  void unknownNodesAre404() {
    long unknown = 8_888_888_888_888L;
    assertRefused(api.post("/debug/v1/node/" + unknown + "/drop", ""), 404, "NotFound");
    assertRefused(api.delete("/debug/v1/tombstone/" + unknown), 404, "NotFound");
  }

  @ParameterizedTest
  @ValueSource(strings = {"abc", "-1", "1.0", "99999999999999999999"})
  void malformedNodeIdsAre400(String id) {
    assertRefused(api.post("/debug/v1/node/" + id + "/drop", ""), 400, "node_id");
    assertRefused(api.delete("/debug/v1/tombstone/" + id), 400, "node_id");
  }

  @Test
  void droppingANodeDereferencesTheShardsOnIt() {
    long a = registerOfflineNode();
    long b = registerOfflineNode();
    TenantShardId onA = TenantShardId.unsharded(TenantId.generate());
    TenantShardId onB = TenantShardId.unsharded(TenantId.generate());
    long genA = attach(onA, a);
    attach(onB, b);

    assertNullBody(api.post("/debug/v1/node/" + a + "/drop", ""));

    assertThat(inspect(onA).isNull()).isTrue();
    assertThat(inspect(onB).get(1).asLong()).isEqualTo(b);
    Map<String, Object> row = row(onA);
    assertThat(row.get("intended_attached_node")).isNull();
    // As in Neon the generation's node stays in the row; loading ignores a node that is gone.
    assertThat(((Number) row.get("generation_pageserver")).longValue()).isEqualTo(a);
    assertThat(((Number) row.get("generation")).longValue()).isEqualTo(genA);
    JsonNode dump = dumped(onA);
    assertThat(dump.at("/intent/attached").isNull()).isTrue();
    assertThat(dump.at("/observed/locations").has(Long.toString(a))).isFalse();
    assertThat(api.get("/debug/v1/scheduler").json().get("nodes").has(Long.toString(a))).isFalse();
    assertConsistent();
  }
}
