package io.storagecontroller.failpoint;

import static org.assertj.core.api.Assertions.assertThat;

import io.storagecontroller.model.LocationConfigMode;
import io.storagecontroller.model.NodeId;
import io.storagecontroller.model.TenantId;
import io.storagecontroller.model.TenantShardId;
import io.storagecontroller.model.TimelineId;
import io.storagecontroller.pageserver.LocationConfig;
import io.storagecontroller.testing.ApiClient.Response;
import io.storagecontroller.testing.ControllerProcess;
import io.storagecontroller.testing.FleetTest;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import tools.jackson.databind.JsonNode;

/**
 * Failpoints set through {@code PUT /debug/v1/failpoints} fail, pause and resume real reconciles
 * and live migrations against simulated pageservers.
 */
class FailpointsEndToEndTest extends FleetTest {
  @Autowired Failpoints failpoints;

  /** The context is shared with later tests: leave no failpoint set. */
  @AfterEach
  void allOff() {
    StringBuilder body = new StringBuilder("[");
    for (String name : FailpointNames.ALL) {
      body.append(body.length() > 1 ? "," : "")
          .append("{\"name\":\"%s\",\"actions\":\"off\"}".formatted(name));
    }
    assertThat(api.put("/debug/v1/failpoints", body + "]").status()).isEqualTo(200);
  }

  @Test
  void aReconcileFailedByAFailpointIsRetriedOnceItIsOff() {
    TenantId tenant = TenantId.generate();
    assertThat(create(tenant, 0, 0).status()).isEqualTo(201);
    TenantShardId shard = TenantShardId.unsharded(tenant);

    set(FailpointNames.RECONCILER_PRE_SECONDARIES, "return");
    Response policy =
        api.put("/control/v1/tenant/" + tenant + "/policy", "{\"placement\":{\"Attached\":1}}");
    assertThat(policy.status()).as(policy.body()).isEqualTo(200);

    ControllerProcess.await(
        DEADLINE,
        () -> describe(tenant).path("last_error").asString().contains("reconciler-pre-secondaries"),
        "the reconcile failed at the failpoint");
    NodeId secondary = new NodeId(describe(tenant).get("node_secondary").get(0).asLong());
    assertThat(fleet.pageserver(secondary.value()).location(shard))
        .as("no secondary is made while the failpoint fails the reconcile")
        .isEmpty();

    set(FailpointNames.RECONCILER_PRE_SECONDARIES, "off");
    api.post("/debug/v1/reconcile_all", "");
    ControllerProcess.await(
        DEADLINE,
        () -> fleet.pageserver(secondary.value()).location(shard).isPresent(),
        "the secondary made once the failpoint is off");
    assertPlacedAsIntended(tenant, 1);
    assertConsistent();
  }

  @Test
  void aMigrationPausedAfterTheGenerationIncrementResumesToTheEnd() {
    TenantShardId shard = createWithTimeline();
    NodeId origin = attached(shard);
    NodeId destination = secondary(shard);
    long before = storedGeneration(shard);
    String point = FailpointNames.LIVE_MIGRATE_POST_GENERATION_INC;

    set(point, "pause");
    long operation = migrate(shard, destination);
    ControllerProcess.await(DEADLINE, () -> failpoints.hits(point) > 0, "paused at " + point);

    // Paused between the database's new generation and the destination's attach.
    assertThat(storedGeneration(shard)).isEqualTo(before + 1);
    assertThat(mode(destination, shard)).isEqualTo(LocationConfigMode.SECONDARY);
    assertThat(mode(origin, shard)).isEqualTo(LocationConfigMode.ATTACHED_STALE);
    assertThat(operation(operation).get("state").asString()).isEqualTo("running");

    set(point, "off");
    JsonNode finished = awaitFinished(operation);
    assertThat(finished.get("state").asString()).isEqualTo("succeeded");
    assertThat(attached(shard)).isEqualTo(destination);
    assertThat(fleet.pageserver(destination.value()).location(shard).orElseThrow().generation())
        .isEqualTo(before + 1);
    awaitPlacedAsIntended(shard.tenantId());
    assertConsistent();
  }

  @Test
  void aMigrationFailedBeforeTheGenerationIncrementGoesBackToItsOrigin() {
    TenantShardId shard = createWithTimeline();
    NodeId origin = attached(shard);
    NodeId destination = secondary(shard);
    long before = storedGeneration(shard);

    set(FailpointNames.LIVE_MIGRATE_PRE_GENERATION_INC, "return");
    JsonNode finished = awaitFinished(migrate(shard, destination));

    assertThat(finished.get("state").asString()).isEqualTo("failed");
    assertThat(finished.get("error").asString())
        .contains("failpoint reconciler-live-migrate-pre-generation-inc");
    // "return" fails the step for good: the failpoints' activity interceptor makes it
    // non-retryable.
    assertThat(failpoints.hits(FailpointNames.LIVE_MIGRATE_PRE_GENERATION_INC)).isEqualTo(1);
    assertThat(attached(shard)).isEqualTo(origin);
    assertThat(storedGeneration(shard)).isEqualTo(before);
    awaitPlacedAsIntended(shard.tenantId());
    assertConsistent();
  }

  @Test
  void badActionsAreRefusedWithNeonsMessage() {
    Response r =
        api.put(
            "/debug/v1/failpoints", "[{\"name\":\"reconciler-epilogue\",\"actions\":\"boom\"}]");
    assertThat(r.status()).isEqualTo(400);
    assertThat(r.msg())
        .isEqualTo(
            "Failed to configure failpoints: reconciler-epilogue: 'boom': unrecognized command"
                + " \"boom\"");
  }

  private void set(String name, String actions) {
    Response r =
        api.put(
            "/debug/v1/failpoints",
            "[{\"name\":\"%s\",\"actions\":\"%s\"}]".formatted(name, actions));
    assertThat(r.status()).as(r.body()).isEqualTo(200);
    assertThat(r.body()).isEqualTo("null");
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

  private long migrate(TenantShardId shard, NodeId destination) {
    Response r =
        api.put(
            "/control/v1/tenant/" + shard + "/migrate",
            ("{\"node_id\":%d,\"migration_config\":{\"secondary_warmup_timeout\":\"1s\","
                    + "\"secondary_download_request_timeout\":\"200ms\"}}")
                .formatted(destination.value()));
    assertThat(r.status()).as(r.body()).isEqualTo(200);
    for (JsonNode op : api.get("/control/v1/operations?limit=20").json()) {
      if (op.get("target").asString().equals(shard.toString())
          && "running".equals(op.get("state").asString())) {
        return op.get("id").asLong();
      }
    }
    throw new AssertionError("no running migrate operation for " + shard);
  }

  private JsonNode operation(long id) {
    return api.get("/control/v1/operations/" + id).json();
  }

  private JsonNode awaitFinished(long id) {
    ControllerProcess.await(
        DEADLINE,
        () -> !"running".equals(operation(id).get("state").asString()),
        "operation " + id + " finished");
    return operation(id);
  }

  private LocationConfigMode mode(NodeId node, TenantShardId shard) {
    return fleet.pageserver(node.value()).location(shard).map(LocationConfig::mode).orElse(null);
  }

  private JsonNode describe(TenantId tenant) {
    return api.get("/control/v1/tenant/" + tenant).json().get("shards").get(0);
  }

  private NodeId attached(TenantShardId shard) {
    return new NodeId(describe(shard.tenantId()).get("node_attached").asLong());
  }

  private NodeId secondary(TenantShardId shard) {
    return new NodeId(describe(shard.tenantId()).get("node_secondary").get(0).asLong());
  }

  private void awaitPlacedAsIntended(TenantId tenant) {
    ControllerProcess.await(
        DEADLINE,
        () -> {
          try {
            assertPlacedAsIntended(tenant, 1);
            return true;
          } catch (AssertionError notYet) {
            return false;
          }
        },
        "placed as intended");
  }
}
