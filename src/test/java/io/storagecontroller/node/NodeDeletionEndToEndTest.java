package io.storagecontroller.node;

import static org.assertj.core.api.Assertions.assertThat;

import io.storagecontroller.model.TenantId;
import io.storagecontroller.testing.ApiClient.Response;
import io.storagecontroller.testing.ControllerProcess;
import io.storagecontroller.testing.FleetTest;
import io.storagecontroller.testing.Ids;
import io.storagecontroller.tools.simulator.SimulatedPageserver;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;

/**
 * Neon's node deletion on a simulated fleet: the graceful operation moves every location off the
 * node (attached and secondary), reconciles, and tombstones it; a cancel gives the node back its
 * policy; the deprecated synchronous delete does the same before answering; refusals as Neon's.
 */
class NodeDeletionEndToEndTest extends FleetTest {
  static final int TENANTS = 9;

  final List<TenantId> tenants = new ArrayList<>();

  void createTenants() {
    for (int i = 0; i < TENANTS; i++) {
      TenantId tenant = TenantId.generate();
      assertThat(create(tenant, 0, 1).status()).isEqualTo(201);
      tenants.add(tenant);
    }
  }

  @AfterEach
  void releaseFailpoint() {
    api.put("/debug/v1/failpoints", "[{\"name\":\"node-delete-pre-batch\",\"actions\":\"off\"}]");
  }

  @Test
  void aGracefulDeletionMovesEveryLocationOffAndTombstonesTheNode() {
    createTenants();
    SimulatedPageserver deleted = fleet.pageservers().get(2);
    long node = deleted.nodeId().value();
    assertThat(deleted.locations()).isNotEmpty();

    Response started = api.put("/control/v1/node/" + node + "/delete", "");
    assertThat(started.status()).as(started.body()).isEqualTo(200);
    assertThat(started.body()).isEqualTo("null");
    JsonNode operation = awaitEnd(node);
    assertThat(operation.path("state").asString()).as(operation.toString()).isEqualTo("succeeded");

    assertThat(api.get("/control/v1/node/" + node).status()).isEqualTo(404);
    assertThat(api.get("/debug/v1/tombstone").body()).contains("\"id\":" + node);
    for (TenantId tenant : tenants) {
      for (JsonNode shard : api.get("/control/v1/tenant/" + tenant).json().path("shards")) {
        assertThat(shard.path("node_attached").asLong(-1)).isNotIn(-1L, node);
        assertThat(shard.path("node_secondary")).hasSize(1);
        assertThat(shard.path("node_secondary").get(0).asLong()).isNotEqualTo(node);
      }
    }
    assertThat(deleted.locations()).as("locations left on the deleted node").isEmpty();
    assertConsistent();
  }

  @Test
  void aCancelledDeletionGivesTheNodeBackItsPolicyAndRefusesAsNeon() {
    createTenants();
    long node = fleet.pageservers().get(1).nodeId().value();
    long other = fleet.pageservers().get(0).nodeId().value();
    assertThat(
            api.put(
                    "/debug/v1/failpoints",
                    "[{\"name\":\"node-delete-pre-batch\",\"actions\":\"pause\"}]")
                .status())
        .isEqualTo(200);
    assertThat(api.put("/control/v1/node/" + node + "/delete", "").status()).isEqualTo(200);
    assertThat(policy(node)).isEqualTo("Deleting");

    assertThat(api.put("/control/v1/node/" + node + "/delete", "").status()).isEqualTo(409);
    assertThat(api.put("/control/v1/node/" + other + "/delete", "").status()).isEqualTo(412);
    assertThat(api.put("/control/v1/node/" + other + "/drain", "").status()).isEqualTo(412);

    Response cancel = api.delete("/control/v1/node/" + node + "/delete");
    assertThat(cancel.status()).as(cancel.body()).isEqualTo(202);
    releaseFailpoint();
    JsonNode operation = awaitEnd(node);
    assertThat(operation.path("state").asString()).isEqualTo("cancelled");
    assertThat(policy(node)).isEqualTo("Active");
    // The tenants the cancelled deletion did not reconcile are the sweep's: ask for it now.
    api.post("/debug/v1/reconcile_all", "");
    assertConsistent();
  }

  @Test
  void theSynchronousDeleteAnswersOnceTheNodeIsGone() {
    createTenants();
    SimulatedPageserver deleted = fleet.pageservers().get(0);
    long node = deleted.nodeId().value();
    Response r = api.delete("/control/v1/node/" + node);
    assertThat(r.status()).as(r.body()).isEqualTo(200);
    assertThat(api.get("/control/v1/node/" + node).status()).isEqualTo(404);
    assertThat(deleted.locations()).isEmpty();
    assertConsistent();
  }

  @Test
  void unknownNodesAndBadFlagsAreRefused() {
    long unknown = Ids.nodeId() * 10 + 7;
    assertThat(api.put("/control/v1/node/" + unknown + "/delete", "").status()).isEqualTo(404);
    assertThat(api.delete("/control/v1/node/" + unknown + "/delete").status()).isEqualTo(404);
    assertThat(api.delete("/control/v1/node/" + unknown).status()).isEqualTo(404);
    long node = fleet.pageservers().get(0).nodeId().value();
    Response bad = api.put("/control/v1/node/" + node + "/delete?force=maybe", "");
    assertThat(bad.status()).isEqualTo(400);
    assertThat(bad.msg()).contains("force");
    assertThat(api.delete("/control/v1/node/" + node + "/delete").status()).isEqualTo(412);
    assertThat(policy(node)).isEqualTo("Active");
  }

  private String policy(long node) {
    return api.get("/control/v1/node/" + node).json().path("scheduling").asString();
  }

  private JsonNode awaitEnd(long node) {
    JsonNode[] last = new JsonNode[1];
    ControllerProcess.await(
        DEADLINE,
        () -> {
          for (JsonNode op : api.get("/control/v1/operations?limit=50").json()) {
            if (op.path("kind").asString().equals("delete")
                && op.path("target").asString().equals("node/" + node)) {
              last[0] = op;
              return !op.path("state").asString().equals("running");
            }
          }
          return false;
        },
        "deletion of node " + node);
    return last[0];
  }
}
