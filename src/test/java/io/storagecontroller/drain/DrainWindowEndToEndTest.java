package io.storagecontroller.drain;

import static org.assertj.core.api.Assertions.assertThat;

import io.storagecontroller.model.TenantId;
import io.storagecontroller.testing.ControllerProcess;
import io.storagecontroller.testing.FleetTest;
import java.util.Map;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;

/**
 * A drain moves its shards in windows of 64 migrations, and each window releases its shards in one
 * transaction when its migrations end (they do not release them one by one): between two windows
 * the drain still runs, and the first window's shards are the reconciler's again.
 */
class DrainWindowEndToEndTest extends FleetTest {
  static final int TENANTS = 240;
  static final int WINDOW = 64;

  @Test
  void eachWindowReleasesItsShardsWhileTheDrainGoesOn() {
    for (int i = 0; i < TENANTS; i++) {
      assertThat(create(TenantId.generate(), 0, 1).status()).isEqualTo(201);
    }
    Map.Entry<Long, Long> busiest =
        attachedPerNode().entrySet().stream().max(Map.Entry.comparingByValue()).orElseThrow();
    long node = busiest.getKey();
    long before = busiest.getValue();
    assertThat(before).as("shards attached to node %d", node).isGreaterThan(WINDOW);
    // The first window begins; the second pauses at its start.
    failpoint("sleepy-drain-loop", "1*off->pause");

    assertThat(api.put("/control/v1/node/" + node + "/drain", "").status()).isEqualTo(202);
    ControllerProcess.await(
        DEADLINE,
        () -> attachedPerNode().getOrDefault(node, 0L) == before - WINDOW && heldShards() == 0,
        "the first window's migrations ended and their shards released");
    long id = drain(node).get("id").asLong();
    assertThat(drain(node).get("state").asString()).isEqualTo("running");
    assertThat(drain(node).get("progress_done").asLong()).isEqualTo(WINDOW);

    failpoint("sleepy-drain-loop", "off");
    ControllerProcess.await(
        DEADLINE,
        () ->
            "succeeded"
                .equals(api.get("/control/v1/operations/" + id).json().path("state").asString()),
        "the drain");
    assertThat(attachedPerNode().getOrDefault(node, 0L)).isZero();
    assertThat(heldShards()).isZero();
    assertConsistent();
  }

  private long heldShards() {
    return jdbc.sql("SELECT count(*) FROM tenant_shards WHERE held_by IS NOT NULL")
        .query(Long.class)
        .single();
  }

  private JsonNode drain(long node) {
    for (JsonNode op : api.get("/control/v1/operations?limit=50").json()) {
      if (op.get("kind").asString().equals("drain")
          && op.get("target").asString().equals("node/" + node)) {
        return op;
      }
    }
    throw new AssertionError("no drain of node " + node);
  }

  private void failpoint(String name, String actions) {
    api.failpoint(name, actions);
  }
}
