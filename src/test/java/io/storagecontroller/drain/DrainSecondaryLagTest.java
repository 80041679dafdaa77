package io.storagecontroller.drain;

import static org.assertj.core.api.Assertions.assertThat;

import io.storagecontroller.model.TenantId;
import io.storagecontroller.testing.ApiClient.Response;
import io.storagecontroller.testing.ControllerProcess;
import io.storagecontroller.testing.FleetTest;
import io.storagecontroller.tools.simulator.Fault;
import io.storagecontroller.tools.simulator.SimulatedPageserver;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;

/**
 * Neon's drain check on a real fleet: a shard leaves the draining node only for a secondary whose
 * lag its pageserver reports within {@code --max-secondary-lag-bytes}. One secondary node cannot
 * say (its secondary status fails): the shards kept warm there stay, the others move, and the drain
 * still ends, its phase counting the shards it left.
 */
class DrainSecondaryLagTest extends FleetTest {
  @Test
  void shardsWhoseSecondaryCannotReportItsLagStayAndTheOthersMove() {
    for (int i = 0; i < 12; i++) {
      assertThat(create(TenantId.generate(), 0, 1).status()).isEqualTo(201);
    }
    SimulatedPageserver drained = fleet.pageservers().get(0);
    long node = drained.nodeId().value();
    List<JsonNode> onNode = shardsAttachedTo(node);
    assertThat(onNode).hasSizeGreaterThanOrEqualTo(2);
    long silentNode = onNode.get(0).path("node_secondary").get(0).asLong();
    SimulatedPageserver silent = fleet.pageserver(silentNode);
    long otherNode =
        fleet.pageservers().stream()
            .mapToLong(ps -> ps.nodeId().value())
            .filter(n -> n != node && n != silentNode)
            .findFirst()
            .orElseThrow();
    // One shard kept warm on the third node, so that some shards have somewhere to go.
    Response moved =
        api.put(
            "/control/v1/tenant/"
                + onNode.get(1).path("tenant_shard_id").asString()
                + "/migrate_secondary",
            "{\"node_id\":" + otherNode + "}");
    assertThat(moved.status()).as(moved.body()).isEqualTo(200);
    List<String> staying = new ArrayList<>();
    List<String> leaving = new ArrayList<>();
    for (JsonNode shard : shardsAttachedTo(node)) {
      (shard.path("node_secondary").get(0).asLong() == silentNode ? staying : leaving)
          .add(shard.path("tenant_shard_id").asString());
    }
    assertThat(staying).as("shards kept warm on the silent node").isNotEmpty();
    assertThat(leaving).as("shards kept warm elsewhere").isNotEmpty();
    silent.fault(Fault.failingRoute("/secondary/status", 500));
    try {
      Response started = api.put("/control/v1/node/" + node + "/drain", "");
      assertThat(started.status()).as(started.body()).isEqualTo(202);
      ControllerProcess.await(
          Duration.ofMinutes(2),
          () -> "PauseForRestart".equals(node(node).path("scheduling").asString()),
          "drain of node " + node);
    } finally {
      silent.clearFaults();
    }
    List<String> left =
        shardsAttachedTo(node).stream().map(s -> s.path("tenant_shard_id").asString()).toList();
    assertThat(left).containsExactlyInAnyOrderElementsOf(staying);
    JsonNode drain = latestDrain(node);
    assertThat(drain.path("state").asString()).isEqualTo("succeeded");
    assertThat(drain.path("phase").asString())
        .startsWith(staying.size() + " shards skipped: their secondary lags");
    api.put(
        "/control/v1/node/" + node + "/config",
        "{\"node_id\":" + node + ",\"scheduling\":\"Active\"}");
  }

  private JsonNode node(long node) {
    return api.get("/control/v1/node/" + node).json();
  }

  private JsonNode latestDrain(long node) {
    for (JsonNode op : api.get("/control/v1/operations?limit=50").json()) {
      if (op.path("kind").asString().equals("drain")
          && op.path("target").asString().equals("node/" + node)) {
        return op;
      }
    }
    throw new AssertionError("no drain of node " + node);
  }

  private List<JsonNode> shardsAttachedTo(long node) {
    List<JsonNode> out = new ArrayList<>();
    for (JsonNode tenant : api.get("/control/v1/tenant").json()) {
      for (JsonNode shard : tenant.path("shards")) {
        if (shard.path("node_attached").asLong(-1) == node) {
          out.add(shard);
        }
      }
    }
    return out;
  }
}
