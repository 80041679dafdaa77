package io.storagecontroller.drain;

import static org.assertj.core.api.Assertions.assertThat;

import io.storagecontroller.model.TenantId;
import io.storagecontroller.testing.ApiClient.Response;
import io.storagecontroller.testing.ControllerProcess;
import io.storagecontroller.testing.FleetTest;
import io.storagecontroller.tools.simulator.Fault;
import io.storagecontroller.tools.simulator.SimulatedPageserver;
import io.storagecontroller.tools.simulator.SimulatorOptions;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;

/**
 * Drains whose migrations are held in warm-up (secondaries take an hour to download), so a cancel
 * lands mid-way; and the refusals of the drain and fill routes.
 */
class DrainCancelEndToEndTest extends FleetTest {
  static final int TENANTS = 30;

  @Override
  protected SimulatorOptions fleetOptions(SimulatorOptions options) {
    return options.withSecondaryDownloadTime(Duration.ofHours(1));
  }

  @Test
  void cancellingADrainMidWayLeavesTheNodeActiveAndNoShardHalfMoved() {
    List<TenantId> tenants = createTenants();
    long node = fleet.pageservers().get(0).nodeId().value();
    long attachedBefore = api.attachedTo(node);
    assertThat(attachedBefore).isPositive();

    assertThat(api.put("/control/v1/node/" + node + "/drain", "").status()).isEqualTo(202);
    JsonNode drain = latest("drain", node);
    assertThat(drain.get("workflow_id").asString()).isEqualTo("node/" + node + "/drain");
    // Migrations have begun (intents moved) and sit in warm-up.
    ControllerProcess.await(
        DEADLINE, () -> api.attachedTo(node) < attachedBefore, "migrations under way");
    Response cancel = api.delete("/control/v1/node/" + node + "/drain");
    assertThat(cancel.status()).as(cancel.body()).isEqualTo(202);
    long id = drain.get("id").asLong();
    ControllerProcess.await(
        DEADLINE, () -> !"running".equals(operation(id).get("state").asString()), "drain finished");

    assertThat(operation(id).get("state").asString()).isEqualTo("cancelled");
    assertThat(api.get("/control/v1/node/" + node).json().get("scheduling").asString())
        .isEqualTo("Active");
    assertThat(api.attachedTo(node)).isEqualTo(attachedBefore);
    ControllerProcess.await(
        DEADLINE,
        () -> {
          try {
            tenants.forEach(t -> assertPlacedAsIntended(t, 1));
            return true;
          } catch (AssertionError notYet) {
            return false;
          }
        },
        "every tenant placed as intended");
    assertConsistent();
    // The node is usable again: a new drain is accepted, and can be cancelled through the
    // operations API too.
    assertThat(api.put("/control/v1/node/" + node + "/drain", "").status()).isEqualTo(202);
    long again = latest("drain", node).get("id").asLong();
    assertThat(api.post("/control/v1/operations/" + again + "/cancel", "").status()).isEqualTo(202);
    ControllerProcess.await(
        DEADLINE,
        () -> "cancelled".equals(operation(again).get("state").asString()),
        "second drain cancelled");
    assertThat(api.get("/control/v1/node/" + node).json().get("scheduling").asString())
        .isEqualTo("Active");
    assertConsistent();
  }

  @Test
  void drainAndFillRefuseWhatCannotWorkWithNeonsStatuses() {
    createTenants();
    long first = fleet.pageservers().get(0).nodeId().value();
    long second = fleet.pageservers().get(1).nodeId().value();

    Response unknown = api.put("/control/v1/node/987654321/drain", "");
    assertThat(unknown.status()).isEqualTo(404);
    assertThat(unknown.msg()).contains("987654321");
    Response notDraining = api.delete("/control/v1/node/" + first + "/drain");
    assertThat(notDraining.status()).isEqualTo(412);
    assertThat(notDraining.msg()).contains("not draining");

    assertThat(api.put("/control/v1/node/" + first + "/drain", "").status()).isEqualTo(202);
    Response twice = api.put("/control/v1/node/" + first + "/drain", "");
    assertThat(twice.status()).isEqualTo(409);
    Response another = api.put("/control/v1/node/" + second + "/drain", "");
    assertThat(another.status()).isEqualTo(412);
    assertThat(another.msg()).contains("Background operation already ongoing for node " + first);
    Response fill = api.put("/control/v1/node/" + second + "/fill", "");
    assertThat(fill.status()).isEqualTo(412);
    Response configure =
        api.put(
            "/control/v1/node/" + second + "/config",
            "{\"node_id\":%d,\"scheduling\":\"Pause\"}".formatted(second));
    assertThat(configure.status()).isEqualTo(412);
    assertThat(configure.msg()).contains("Ongoing background operation forbids configuring: drain");

    assertThat(api.delete("/control/v1/node/" + first + "/drain").status()).isEqualTo(202);
    ControllerProcess.await(
        DEADLINE,
        () ->
            "Active"
                .equals(api.get("/control/v1/node/" + first).json().get("scheduling").asString()),
        "drain cancelled");
    ControllerProcess.await(
        DEADLINE,
        () -> "cancelled".equals(latest("drain", first).get("state").asString()),
        "drain operation closed");

    SimulatedPageserver down = fleet.pageservers().get(2);
    down.fault(Fault.down());
    ControllerProcess.await(
        DEADLINE,
        () ->
            "Offline"
                .equals(
                    api.get("/control/v1/node/" + down.nodeId())
                        .json()
                        .get("availability")
                        .asString()),
        "node offline");
    Response unavailable = api.put("/control/v1/node/" + down.nodeId() + "/drain", "");
    assertThat(unavailable.status()).isEqualTo(503);
    down.clearFaults();
  }

  private List<TenantId> createTenants() {
    List<TenantId> tenants = new ArrayList<>();
    for (int i = 0; i < TENANTS; i++) {
      TenantId tenant = TenantId.generate();
      assertThat(create(tenant, 0, 1).status()).isEqualTo(201);
      tenants.add(tenant);
    }
    return tenants;
  }

  private JsonNode operation(long id) {
    return api.get("/control/v1/operations/" + id).json();
  }

  private JsonNode latest(String kind, long node) {
    for (JsonNode op : api.get("/control/v1/operations?limit=50").json()) {
      if (op.get("kind").asString().equals(kind)
          && op.get("target").asString().equals("node/" + node)) {
        return op;
      }
    }
    throw new AssertionError("no " + kind + " operation for node " + node);
  }
}
