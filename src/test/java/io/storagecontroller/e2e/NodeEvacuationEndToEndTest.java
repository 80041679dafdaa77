package io.storagecontroller.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import io.storagecontroller.compute.ComputeNotifications;
import io.storagecontroller.evacuation.Evacuations;
import io.storagecontroller.model.LocationConfigMode;
import io.storagecontroller.model.NodeId;
import io.storagecontroller.model.TenantId;
import io.storagecontroller.model.TenantShardId;
import io.storagecontroller.reconcile.ReconcileRequests;
import io.storagecontroller.testing.ControllerProcess;
import io.storagecontroller.testing.FleetTest;
import io.storagecontroller.tools.simulator.Fault;
import io.storagecontroller.tools.simulator.SimulatedPageserver;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import tools.jackson.databind.JsonNode;

/** A pageserver that stops answering is marked offline and its attached shards move elsewhere. */
class NodeEvacuationEndToEndTest extends FleetTest {
  @Autowired ComputeNotifications notifications;
  @Autowired ReconcileRequests requests;
  @Autowired Evacuations evacuations;

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
   * The evacuation's plan holds the shards it moved until their batch reconciles them, so the sweep
   * leaves them to it: before, a sweep that ran while thousands of tenants waited for their batch
   * started one reconcile workflow for each of them beside the batches.
   */
  @Test
  void shardsWaitingForTheirBatchAreTheEvacuationsNotTheSweeps() {
    TenantId tenant = createdWithTwoShards();
    long victim = attachedNodeOfShardZero(tenant);
    pauseBatches("pause");
    try {
      fleet.pageserver(victim).fault(Fault.down());
      ControllerProcess.await(
          DEADLINE, () -> heldBy(tenant).stream().anyMatch(h -> h != 0), "the plan holds");
      long operation = runningEvacuation(victim);
      assertThat(heldBy(tenant)).contains(operation);
      assertThat(
              api.get("/control/v1/tenant/" + tenant)
                  .json()
                  .get("shards")
                  .get(0)
                  .get("is_reconciling")
                  .asBoolean())
          .isTrue();

      // (Its creation asked for one before.)
      Instant sweep = Instant.now();
      api.post("/debug/v1/reconcile_all", "");
      assertThat(requests.requestedWithin(tenant, Duration.between(sweep, Instant.now())))
          .as("the sweep asked for a reconcile of a tenant the evacuation holds")
          .isFalse();
    } finally {
      pauseBatches("off");
    }
    ControllerProcess.await(
        DEADLINE, () -> evacuated(tenant, victim), "shards moved off node " + victim);
    ControllerProcess.await(
        DEADLINE, () -> heldBy(tenant).stream().allMatch(h -> h == 0), "the batch released");
  }

  /**
   * A plan that fails after its writes closes the operation it started, releasing what it held, and
   * the sweep takes the tenants up (its next pass, asked for here).
   */
  @Test
  void aPlanThatFailsAfterItsWritesLeavesNothingHeld() {
    TenantId tenant = createdWithTwoShards();
    long victim = attachedNodeOfShardZero(tenant);
    setFailpoint("evacuation-post-plan", "1*return->off");
    Instant start = Instant.now().minusSeconds(1);
    fleet.pageserver(victim).fault(Fault.down());

    ControllerProcess.await(
        DEADLINE,
        () -> evacuationsSince(victim, start).stream().anyMatch(o -> "failed".equals(o.get(0))),
        "the evacuation failed");
    assertThat(heldBy(tenant)).containsOnly(0L);
    ControllerProcess.await(
        DEADLINE,
        () -> {
          api.post("/debug/v1/reconcile_all", "");
          return evacuated(tenant, victim);
        },
        "shards moved off node " + victim + " by the sweep");
  }

  /**
   * A plan run again (its activity retried after its writes: a controller that died before it could
   * report) takes up the operation it started and the tenants it holds. Before, the retry found
   * nothing attached to the node any more and recorded an evacuation of nothing.
   */
  @Test
  void aPlanRunAgainTakesUpItsOperation() {
    TenantId tenant = createdWithTwoShards();
    long victim = attachedNodeOfShardZero(tenant);
    Instant start = Instant.now().minusSeconds(1);
    setFailpoint("evacuation-post-plan", "pause");
    try {
      fleet.pageserver(victim).fault(Fault.down());
      ControllerProcess.await(
          DEADLINE, () -> !evacuationsSince(victim, start).isEmpty(), "the evacuation planned");
      long operation = runningEvacuation(victim);

      // The retry passes the failpoint too: it goes on once the failpoint is off.
      CompletableFuture<Evacuations.Plan> again =
          CompletableFuture.supplyAsync(
              () -> evacuations.plan(new NodeId(victim), "node/" + victim + "/evacuate"));
      setFailpoint("evacuation-post-plan", "off");

      assertThat(again.join().operationId()).isEqualTo(operation);
      assertThat(again.join().tenants()).contains(tenant);
    } finally {
      setFailpoint("evacuation-post-plan", "off");
    }
    ControllerProcess.await(
        DEADLINE, () -> evacuated(tenant, victim), "shards moved off node " + victim);
  }

  private List<List<String>> evacuationsSince(long node, Instant start) {
    return jdbc.sql(
            "SELECT state, progress_done, progress_total FROM operations"
                + " WHERE kind = 'evacuate' AND target = ? AND started_at >= ? ORDER BY id")
        .param("node/" + node)
        .param(java.sql.Timestamp.from(start))
        .query((rs, n) -> List.of(rs.getString(1), rs.getString(2), rs.getString(3)))
        .list();
  }

  private TenantId createdWithTwoShards() {
    TenantId tenant = TenantId.generate();
    assertThat(create(tenant, 2, 0).status()).isEqualTo(201);
    return tenant;
  }

  private long runningEvacuation(long node) {
    return jdbc.sql(
            "SELECT id FROM operations WHERE kind = 'evacuate' AND target = ?"
                + " AND state = 'running'")
        .param("node/" + node)
        .query(Long.class)
        .single();
  }

  private void pauseBatches(String action) {
    setFailpoint("evacuation-pre-batch", action);
  }

  private void setFailpoint(String name, String action) {
    api.failpoint(name, action);
  }

  /** Each shard's holding operation, 0 for none. */
  private List<Long> heldBy(TenantId tenant) {
    return jdbc.sql("SELECT COALESCE(held_by, 0) FROM tenant_shards WHERE tenant_id = ?")
        .param(tenant.toString())
        .query(Long.class)
        .list();
  }

  /**
   * An operator's Offline evacuates as a heartbeat's does. Before, the node was already Offline
   * when its heartbeats' grace ran out, so no transition fired and its shards stayed unattached.
   */
  @Test
  void aNodeAnOperatorMarksOfflineIsEvacuated() {
    TenantId tenant = createdWithTwoShards();
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
