package io.storagecontroller.migration;

import static org.assertj.core.api.Assertions.assertThat;

import io.storagecontroller.compute.ComputeNotifications;
import io.storagecontroller.model.LocationConfigMode;
import io.storagecontroller.model.NodeId;
import io.storagecontroller.model.TenantId;
import io.storagecontroller.model.TenantShardId;
import io.storagecontroller.model.TimelineId;
import io.storagecontroller.testing.ApiClient.Response;
import io.storagecontroller.testing.ControllerProcess;
import io.storagecontroller.testing.FleetTest;
import io.storagecontroller.tools.simulator.Fault;
import io.storagecontroller.tools.simulator.SimulatedPageserver;
import io.storagecontroller.tools.simulator.SimulatorOptions;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import tools.jackson.databind.JsonNode;

/**
 * Live migration through the API against simulated pageservers whose secondaries take an hour to
 * download, so a warm-up only ends by its timeout or a cancel.
 */
class LiveMigrationEndToEndTest extends FleetTest {
  @Autowired ComputeNotifications notifications;

  @Override
  protected SimulatorOptions fleetOptions(SimulatorOptions options) {
    return options.withSecondaryDownloadTime(Duration.ofHours(1));
  }

  @Test
  void migrationToTheSecondaryHandsOverWithANewGenerationAndKeepsTheOriginWarm() {
    TenantShardId shard = createWithTimeline();
    NodeId origin = attached(shard);
    NodeId destination = secondary(shard);
    long before = storedGeneration(shard);

    JsonNode operation = migrate(shard, destination, "1s", "200ms");
    JsonNode finished = awaitFinished(operation.get("id").asLong());

    assertThat(finished.get("state").asString()).isEqualTo("succeeded");
    assertThat(finished.get("kind").asString()).isEqualTo("migrate");
    assertThat(finished.get("target").asString()).isEqualTo(shard.toString());
    assertThat(finished.get("workflow_id").asString()).isEqualTo("migrate/" + shard);
    assertThat(finished.get("progress_done").asLong()).isEqualTo(1);
    assertThat(attached(shard)).isEqualTo(destination);
    assertThat(secondary(shard)).isEqualTo(origin);
    assertThat(storedGeneration(shard)).isGreaterThan(before);
    assertThat(notifications.hook().lastDelivered(shard.tenantId()).orElseThrow().shards())
        .singleElement()
        .satisfies(s -> assertThat(s.nodeId()).isEqualTo(destination));
    awaitPlacedAsIntended(shard);
    assertConsistent();
  }

  /**
   * Without prewarm, Neon answers once the cut-over is done, and its callers check the new location
   * right after the call: so must the answer here.
   */
  @Test
  void withoutPrewarmTheAnswerComesOnceTheShardIsOnItsDestination() {
    TenantShardId shard = createWithTimeline();
    NodeId origin = attached(shard);
    NodeId destination = secondary(shard);

    Response r =
        api.put(
            migratePath(shard),
            "{\"node_id\":%d,\"migration_config\":{\"prewarm\":false}}"
                .formatted(destination.value()));

    assertThat(r.status()).as(r.body()).isEqualTo(200);
    assertThat(attached(shard)).isEqualTo(destination);
    assertThat(fleet.pageserver(destination.value()).location(shard).orElseThrow().generation())
        .isEqualTo(storedGeneration(shard));
    assertThat(notifications.hook().lastDelivered(shard.tenantId()).orElseThrow().shards())
        .singleElement()
        .satisfies(s -> assertThat(s.nodeId()).isEqualTo(destination));
    for (JsonNode op : api.get("/control/v1/operations?limit=20").json()) {
      if (op.get("target").asString().equals(shard.toString())) {
        assertThat(op.get("state").asString()).isEqualTo("succeeded");
        break;
      }
    }
    assertThat(secondary(shard)).isEqualTo(origin);
    awaitPlacedAsIntended(shard);
  }

  @Test
  void cancellingDuringWarmUpLeavesTheShardOnItsOriginWithItsGeneration() {
    TenantShardId shard = createWithTimeline();
    NodeId origin = attached(shard);
    NodeId destination = secondary(shard);
    long before = storedGeneration(shard);

    long id = migrate(shard, destination, "1h", "1s").get("id").asLong();
    awaitWarmingUp(id);
    // Neon's reconcile_until_idle must not stop while the migration runs, and describe shows it.
    assertThat(Integer.parseInt(api.post("/debug/v1/reconcile_all", "").body())).isPositive();
    assertThat(describe(shard).get("is_reconciling").asBoolean()).isTrue();
    Response cancel = api.post("/control/v1/operations/" + id + "/cancel", "");
    assertThat(cancel.status()).as(cancel.body()).isEqualTo(202);
    JsonNode finished = awaitFinished(id);

    assertThat(finished.get("state").asString()).isEqualTo("cancelled");
    ControllerProcess.await(
        DEADLINE,
        () -> !describe(shard).get("is_reconciling").asBoolean(),
        "no longer reconciling");
    assertThat(attached(shard)).isEqualTo(origin);
    assertThat(secondary(shard)).isEqualTo(destination);
    assertThat(storedGeneration(shard)).isEqualTo(before);
    awaitPlacedAsIntended(shard);
    assertConsistent();

    Response again = api.post("/control/v1/operations/" + id + "/cancel", "");
    assertThat(again.status()).isEqualTo(409);
    assertThat(again.msg()).contains("not running");
  }

  /** As Neon: a split asked for during a migration waits for it (bounded), then splits. */
  @Test
  void aSplitAskedForDuringAMigrationWaitsForItThenSplits() {
    TenantShardId shard = createWithTimeline();
    NodeId destination = secondary(shard);
    long id = migrate(shard, destination, "2s", "500ms").get("id").asLong();
    awaitWarmingUp(id);

    Response split =
        api.put(
            "/control/v1/tenant/" + shard.tenantId() + "/shard_split", "{\"new_shard_count\":2}");

    assertThat(split.status()).as(split.body()).isEqualTo(200);
    assertThat(split.json().get("new_shards")).hasSize(2);
    assertThat(operation(id).get("state").asString()).isEqualTo("succeeded");
    api.delete("/v1/tenant/" + shard.tenantId());
  }

  /** Neon's migrate_secondary: the secondary location moves; the attachment does not. */
  @Test
  void migrateSecondaryMovesTheSecondaryAndLeavesTheAttachment() {
    TenantShardId shard = createWithTimeline();
    NodeId attached = attached(shard);
    NodeId oldSecondary = secondary(shard);
    NodeId third =
        fleet.pageservers().stream()
            .map(p -> new NodeId(p.nodeId().value()))
            .filter(n -> !n.equals(attached) && !n.equals(oldSecondary))
            .findFirst()
            .orElseThrow();
    String path = "/control/v1/tenant/" + shard + "/migrate_secondary";

    Response r = api.put(path, "{\"node_id\":%d}".formatted(third.value()));

    assertThat(r.status()).as(r.body()).isEqualTo(200);
    assertThat(r.body()).isEqualTo("{}");
    assertThat(attached(shard)).isEqualTo(attached);
    assertThat(secondary(shard)).isEqualTo(third);
    assertThat(fleet.pageserver(third.value()).location(shard).orElseThrow().mode())
        .isEqualTo(LocationConfigMode.SECONDARY);
    assertThat(fleet.pageserver(oldSecondary.value()).location(shard)).isEmpty();
    // Onto the attached node: nothing to do, answered 200 as Neon does.
    Response ontoAttached = api.put(path, "{\"node_id\":%d}".formatted(attached.value()));
    assertThat(ontoAttached.status()).as(ontoAttached.body()).isEqualTo(200);
    assertThat(attached(shard)).isEqualTo(attached);
    assertThat(api.put(path, "{\"node_id\":999999}").status()).isEqualTo(400);
    String unknown = "/control/v1/tenant/" + TenantShardId.unsharded(TenantId.generate());
    assertThat(
            api.put(unknown + "/migrate_secondary", "{\"node_id\":%d}".formatted(third.value()))
                .status())
        .isEqualTo(404);
    assertThat(secondary(shard)).isEqualTo(third);

    // cancel_reconcile: nothing to lose (the intent stays), 404 for an unknown shard.
    Response cancel = api.put("/control/v1/tenant/" + shard + "/cancel_reconcile", "");
    assertThat(cancel.status()).as(cancel.body()).isEqualTo(200);
    assertThat(cancel.body()).isEqualTo("null");
    assertThat(api.put(unknown + "/cancel_reconcile", "").status()).isEqualTo(404);
    awaitPlacedAsIntended(shard);
    assertConsistent();
  }

  @Test
  void aRetriedMigrationRunsAgainToTheSameDestination() {
    TenantShardId shard = createWithTimeline();
    NodeId destination = secondary(shard);
    long id = migrate(shard, destination, "1h", "1s").get("id").asLong();
    awaitWarmingUp(id);
    Response running = api.post("/control/v1/operations/" + id + "/retry", "");
    assertThat(running.status()).isEqualTo(409);
    assertThat(running.msg()).contains("still running");
    Response second =
        api.put(migratePath(shard), "{\"node_id\":%d}".formatted(destination.value()));
    assertThat(second.status()).isEqualTo(409);
    assertThat(second.msg()).contains("already migrating");
    api.post("/control/v1/operations/" + id + "/cancel", "");
    awaitFinished(id);

    Response retried = api.post("/control/v1/operations/" + id + "/retry", "");
    assertThat(retried.status()).as(retried.body()).isEqualTo(202);
    long retry = retried.json().get("id").asLong();
    assertThat(retry).isNotEqualTo(id);
    // The retry keeps the cancelled run's warm-up bound: cancel it too, then migrate for real.
    api.post("/control/v1/operations/" + retry + "/cancel", "");
    assertThat(awaitFinished(retry).get("state").asString()).isEqualTo("cancelled");
    JsonNode done = awaitFinished(migrate(shard, destination, "1s", "200ms").get("id").asLong());
    assertThat(done.get("state").asString()).isEqualTo("succeeded");
    assertThat(attached(shard)).isEqualTo(destination);
    awaitPlacedAsIntended(shard);
    assertConsistent();
  }

  @Test
  void aDestinationThatDiesMidMigrationLeavesTheShardAttachedOnALiveNode() {
    TenantShardId shard = createWithTimeline();
    NodeId destination = secondary(shard);
    long id = migrate(shard, destination, "1h", "1s").get("id").asLong();
    awaitWarmingUp(id);
    SimulatedPageserver dying = fleet.pageserver(destination.value());
    dying.fault(Fault.down());
    awaitFinished(id);
    // However the migration ended, the shard is served by a live node with the newest generation.
    ControllerProcess.await(
        DEADLINE,
        () -> {
          NodeId now = attached(shard);
          return !now.equals(destination)
              && fleet
                  .pageserver(now.value())
                  .location(shard)
                  .map(
                      c ->
                          c.mode() == LocationConfigMode.ATTACHED_SINGLE
                              && c.generation().equals(storedGeneration(shard)))
                  .orElse(false);
        },
        "shard attached on a live node");
  }

  /**
   * A node cut off long enough for its shard to be evacuated comes back, still holding its old
   * AttachedSingle, while a migration holds that shard: the cut-over demotes it before the
   * destination becomes the single attachment, so no two nodes the controller knows to be up hold
   * the shard AttachedSingle at once (the chaos soak's SINGLE_ATTACHED overlaps).
   */
  @Test
  void aNodeBackWithItsOldAttachmentGivesItUpBeforeTheCutOver() {
    TenantShardId shard = createWithTimeline();
    NodeId first = attached(shard);
    SimulatedPageserver cutOff = fleet.pageserver(first.value());
    cutOff.fault(Fault.down());
    // The evacuation must be over (not just its intent written) before the migration is asked for:
    // a shard held by the evacuation's reconcile would not start a second operation.
    ControllerProcess.await(
        DEADLINE,
        () -> {
          JsonNode d = describe(shard);
          if (d.path("is_reconciling").asBoolean() || d.path("node_attached").asLong() == 0) {
            return false;
          }
          NodeId now = new NodeId(d.get("node_attached").asLong());
          return !now.equals(first)
              && fleet
                  .pageserver(now.value())
                  .location(shard)
                  .filter(c -> c.mode() == LocationConfigMode.ATTACHED_SINGLE)
                  .filter(c -> java.util.Objects.equals(c.generation(), storedGeneration(shard)))
                  .isPresent()
              && noOperationRunningOn(shard);
        },
        "shard evacuated and attached in its newest generation");
    NodeId evacuatedTo = attached(shard);
    NodeId destination =
        fleet.pageservers().stream()
            .map(SimulatedPageserver::nodeId)
            .filter(n -> !n.equals(first) && !n.equals(evacuatedTo))
            .findFirst()
            .orElseThrow();
    long id = migrate(shard, destination, "10s", "1s").get("id").asLong();
    awaitWarmingUp(id);

    cutOff.clearFaults();
    ControllerProcess.await(
        DEADLINE,
        () ->
            "Active"
                .equals(
                    api.get("/control/v1/node/" + first).json().path("availability").asString()),
        "node " + first + " back");
    // Back, and still attached in its old generation: the migration holds the shard.
    assertThat(cutOff.location(shard))
        .hasValueSatisfying(
            c -> assertThat(c.mode()).isEqualTo(LocationConfigMode.ATTACHED_SINGLE));

    assertThat(awaitFinished(id).get("state").asString()).isEqualTo("succeeded");
    assertThat(attached(shard)).isEqualTo(destination);
    assertThat(cutOff.location(shard).map(c -> c.mode()))
        .isNotEqualTo(java.util.Optional.of(LocationConfigMode.ATTACHED_SINGLE));
    assertThat(fleet.safety().violations()).isEmpty();
  }

  @Test
  void badMigrationSettingsAreRefusedAndChangeNothing() {
    TenantShardId shard = createWithTimeline();
    NodeId origin = attached(shard);
    NodeId destination = secondary(shard);
    Response bad =
        api.put(
            migratePath(shard),
            ("{\"node_id\":%d,\"migration_config\":{\"secondary_warmup_timeout\":\"soon\"}}")
                .formatted(destination.value()));
    assertThat(bad.status()).isEqualTo(400);
    assertThat(bad.msg()).contains("secondary_warmup_timeout");
    assertThat(attached(shard)).isEqualTo(origin);
  }

  private TenantShardId createWithTimeline() {
    TenantId tenant = TenantId.generate();
    assertThat(create(tenant, 0, 1).status()).isEqualTo(201);
    Response timeline =
        api.post(
            "/v1/tenant/" + tenant + "/timeline",
            "{\"new_timeline_id\":\"%s\",\"pg_version\":17}".formatted(TimelineId.generate()));
    assertThat(timeline.status()).as(timeline.body()).isEqualTo(201);
    return TenantShardId.unsharded(tenant);
  }

  private JsonNode migrate(
      TenantShardId shard, NodeId destination, String warmup, String perRequest) {
    Response r =
        api.put(
            migratePath(shard),
            ("{\"node_id\":%d,\"migration_config\":{\"secondary_warmup_timeout\":\"%s\","
                    + "\"secondary_download_request_timeout\":\"%s\"}}")
                .formatted(destination.value(), warmup, perRequest));
    assertThat(r.status()).as(r.body()).isEqualTo(200);
    for (JsonNode op : api.get("/control/v1/operations?limit=20").json()) {
      if (op.get("target").asString().equals(shard.toString())
          && "running".equals(op.get("state").asString())) {
        return op;
      }
    }
    throw new AssertionError(
        "no running migrate operation for " + shard + ": " + r.body() + " " + describe(shard));
  }

  private boolean noOperationRunningOn(TenantShardId shard) {
    for (JsonNode op : api.get("/control/v1/operations?limit=50").json()) {
      if ("running".equals(op.get("state").asString())) {
        return false;
      }
    }
    return true;
  }

  private static String migratePath(TenantShardId shard) {
    return "/control/v1/tenant/" + shard + "/migrate";
  }

  private JsonNode operation(long id) {
    return api.get("/control/v1/operations/" + id).json();
  }

  private void awaitWarmingUp(long id) {
    ControllerProcess.await(
        DEADLINE,
        () -> "warming_up".equals(operation(id).path("phase").asString()),
        "migration warming up");
  }

  private JsonNode awaitFinished(long id) {
    ControllerProcess.await(
        DEADLINE,
        () -> !"running".equals(operation(id).get("state").asString()),
        "operation " + id + " finished");
    return operation(id);
  }

  private NodeId attached(TenantShardId shard) {
    return new NodeId(describe(shard).get("node_attached").asLong());
  }

  private NodeId secondary(TenantShardId shard) {
    return new NodeId(describe(shard).get("node_secondary").get(0).asLong());
  }

  private JsonNode describe(TenantShardId shard) {
    return api.get("/control/v1/tenant/" + shard.tenantId()).json().get("shards").get(0);
  }

  private void awaitPlacedAsIntended(TenantShardId shard) {
    ControllerProcess.await(
        DEADLINE,
        () -> {
          try {
            assertPlacedAsIntended(shard.tenantId(), 1);
            return true;
          } catch (AssertionError notYet) {
            return false;
          }
        },
        "placed as intended");
  }
}
