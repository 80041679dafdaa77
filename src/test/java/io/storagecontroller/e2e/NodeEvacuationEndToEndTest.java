package io.storagecontroller.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import io.storagecontroller.compute.ComputeNotifications;
import io.storagecontroller.model.LocationConfigMode;
import io.storagecontroller.model.TenantId;
import io.storagecontroller.model.TenantShardId;
import io.storagecontroller.testing.ControllerProcess;
import io.storagecontroller.testing.FleetTest;
import io.storagecontroller.tools.simulator.Fault;
import io.storagecontroller.tools.simulator.SimulatedPageserver;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import tools.jackson.databind.JsonNode;

/** A pageserver that stops answering is marked offline and its attached shards move elsewhere. */
class NodeEvacuationEndToEndTest extends FleetTest {
  @Autowired ComputeNotifications notifications;

  boolean evacuated(TenantId tenant, long victim) {
    for (JsonNode s : api.get("/control/v1/tenant/" + tenant).json().get("shards")) {
      TenantShardId id = TenantShardId.parse(s.get("tenant_shard_id").asString());
      long attached = s.get("node_attached").asLong();
      if (attached == victim) {
        return false;
      }
      boolean served =
          fleet
              .pageserver(attached)
              .location(id)
              .map(
                  c ->
                      c.mode() == LocationConfigMode.ATTACHED_SINGLE
                          && c.generation().equals(storedGeneration(id)))
              .orElse(false);
      if (!served) {
        return false;
      }
    }
    return true;
  }

  long attachedNodeOfShardZero(TenantId tenant) {
    return api.get("/control/v1/tenant/" + tenant)
        .json()
        .get("shards")
        .get(0)
        .get("node_attached")
        .asLong();
  }

  @Test
  void shardsOfAFailedNodeAreAttachedElsewhereWithNewGenerations() {
    TenantId tenant = TenantId.generate();
    assertThat(create(tenant, 6, 0).status()).isEqualTo(201);
    long victim = attachedNodeOfShardZero(tenant);
    SimulatedPageserver failed = fleet.pageserver(victim);
    failed.fault(Fault.down());

    ControllerProcess.await(
        DEADLINE, () -> evacuated(tenant, victim), "shards moved off node " + victim);
    // Computes learn the new locations: the last notification names none of the failed node.
    ControllerProcess.await(
        DEADLINE,
        () ->
            notifications
                .hook()
                .lastDelivered(tenant)
                .map(
                    sent ->
                        sent.shards().size() == 6
                            && sent.shards().stream().noneMatch(s -> s.nodeId().value() == victim))
                .orElse(false),
        "computes notified of the new locations");
    assertThat(api.get("/control/v1/node/" + victim).json().get("availability").asString())
        .isEqualTo("Offline");
    Map<String, Object> operation =
        jdbc.sql(
                "SELECT state, progress_done, progress_total FROM operations"
                    + " WHERE kind = 'evacuate' AND target = ? ORDER BY id DESC LIMIT 1")
            .param("node/" + victim)
            .query()
            .singleRow();
    ControllerProcess.await(
        DEADLINE,
        () ->
            "succeeded"
                .equals(
                    jdbc.sql(
                            "SELECT state FROM operations WHERE kind = 'evacuate'"
                                + " AND target = ? ORDER BY id DESC LIMIT 1")
                        .param("node/" + victim)
                        .query(String.class)
                        .single()),
        "operation recorded as succeeded");
    assertThat(((Number) operation.get("progress_total")).longValue()).isEqualTo(1);
    // Operators see it through the operations API, with the workflow id for the Temporal UI.
    JsonNode listed = api.get("/control/v1/operations?limit=50").json();
    JsonNode mine = null;
    for (JsonNode op : listed) {
      if (op.get("target").asString().equals("node/" + victim)) {
        mine = op;
        break;
      }
    }
    assertThat(mine).isNotNull();
    assertThat(mine.get("kind").asString()).isEqualTo("evacuate");
    assertThat(mine.get("workflow_id").asString()).isEqualTo("node/" + victim + "/evacuate");
    assertThat(mine.get("progress_done").asLong()).isEqualTo(1);
    assertThat(
            api.get("/control/v1/operations/" + mine.get("id").asLong())
                .json()
                .get("state")
                .asString())
        .isEqualTo("succeeded");
    assertThat(api.get("/control/v1/operations/987654321").status()).isEqualTo(404);
    assertThat(api.get("/control/v1/operations/abc").status()).isEqualTo(400);
    assertThat(api.get("/control/v1/operations?limit=0").status()).isEqualTo(400);

    // The node comes back (a healed partition, no re-attach): its stale attachments are taken
    // away as soon as the controller hears from it, not at the next 20 s sweep.
    failed.clearFaults();
    ControllerProcess.await(
        Duration.ofSeconds(10),
        () ->
            failed.locations().values().stream()
                .noneMatch(c -> c.mode() == LocationConfigMode.ATTACHED_SINGLE),
        "the returned node's stale attachments removed");
    ControllerProcess.await(
        DEADLINE,
        () ->
            "Active"
                .equals(
                    api.get("/control/v1/node/" + victim).json().path("availability").asString()),
        "node back");
    AtomicReference<String> lastCheck = new AtomicReference<>();
    try {
      ControllerProcess.await(
          DEADLINE,
          () -> {
            api.post("/debug/v1/reconcile_all", "");
            var check = api.post("/debug/v1/consistency_check", "");
            lastCheck.set(check.status() + " " + check.body());
            return check.status() == 200;
          },
          "settled after the node returned");
    } catch (AssertionError e) {
      throw new AssertionError(e.getMessage() + "; last consistency check: " + lastCheck, e);
    }
    for (int n = 0; n < 6; n++) {
      TenantShardId id = TenantShardId.parse(tenant + "-0%d06".formatted(n));
      failed
          .location(id)
          .ifPresent(c -> assertThat(c.mode()).isNotEqualTo(LocationConfigMode.ATTACHED_SINGLE));
    }
  }

  /**
   * An operator's Offline evacuates as a heartbeat's does. Before, the node was already Offline
   * when its heartbeats' grace ran out, so no transition fired and its shards stayed unattached.
   */
  @Test
  void aNodeAnOperatorMarksOfflineIsEvacuated() {
    TenantId tenant = TenantId.generate();
    assertThat(create(tenant, 2, 0).status()).isEqualTo(201);
    long victim = attachedNodeOfShardZero(tenant);
    fleet.pageserver(victim).fault(Fault.down());
    assertThat(
            api.put(
                    "/control/v1/node/" + victim + "/config",
                    "{\"node_id\":%d,\"availability\":\"Offline\"}".formatted(victim))
                .status())
        .isEqualTo(200);

    ControllerProcess.await(
        DEADLINE, () -> evacuated(tenant, victim), "shards moved off node " + victim);
  }
}
