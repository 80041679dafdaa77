package io.storagecontroller.timeline;

import static org.assertj.core.api.Assertions.assertThat;

import io.storagecontroller.failpoint.FailpointNames;
import io.storagecontroller.failpoint.Failpoints;
import io.storagecontroller.model.NodeId;
import io.storagecontroller.model.TenantId;
import io.storagecontroller.model.TenantShardId;
import io.storagecontroller.model.TimelineId;
import io.storagecontroller.testing.ApiClient.Response;
import io.storagecontroller.testing.ControllerProcess;
import io.storagecontroller.testing.FleetTest;
import io.storagecontroller.tools.simulator.RecordedRequest;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import tools.jackson.databind.JsonNode;

/**
 * A timeline created while a migration moves the shard (Neon's {@code tenant_remote_mutation}): the
 * older attached location gets the timeline too, and a creation whose shard got a new generation
 * before it finished is answered 503 so the caller retries against the new location.
 */
class TimelineCreateRaceTest extends FleetTest {
  @Autowired Failpoints failpoints;

  TenantId tenant;
  TenantShardId shard;
  NodeId origin;
  NodeId destination;

  @BeforeEach
  void tenantWithASecondary() {
    tenant = TenantId.generate();
    assertThat(create(tenant, 0, 1).status()).isEqualTo(201);
    shard = TenantShardId.unsharded(tenant);
    JsonNode described = api.get("/control/v1/tenant/" + tenant).json().get("shards").get(0);
    origin = new NodeId(described.get("node_attached").asLong());
    destination = new NodeId(described.get("node_secondary").get(0).asLong());
  }

  /** The context is shared with later tests: leave no failpoint set. */
  @AfterEach
  void failpointsOff() {
    set(FailpointNames.TIMELINE_CREATE_PRE_GENERATION_CHECK, "off");
    set(FailpointNames.LIVE_MIGRATE_PRE_AWAIT_LSN, "off");
  }

  @Test
  void aCreationWhoseShardMovedMeanwhileIsAnswered503AndTheRetryReachesTheNewLocation() {
    long before = storedGeneration(shard);
    set(FailpointNames.TIMELINE_CREATE_PRE_GENERATION_CHECK, "pause");
    long hits = failpoints.hits(FailpointNames.TIMELINE_CREATE_PRE_GENERATION_CHECK);
    TimelineId timeline = TimelineId.generate();
    CompletableFuture<Response> creating = CompletableFuture.supplyAsync(() -> create(timeline));
    awaitHit(FailpointNames.TIMELINE_CREATE_PRE_GENERATION_CHECK, hits);
    assertThat(timelineCalls(origin, timeline)).isEqualTo(1);

    // The shard moves while the creation waits: it reached only the old location.
    Response migrated = migrate(false);
    assertThat(migrated.status()).as(migrated.body()).isEqualTo(200);
    assertThat(storedGeneration(shard)).isGreaterThan(before);
    set(FailpointNames.TIMELINE_CREATE_PRE_GENERATION_CHECK, "off");

    Response raced = creating.join();
    assertThat(raced.status()).as(raced.body()).isEqualTo(503);
    assertThat(raced.msg()).isEqualTo("Tenant attachment changed, please retry");

    Response retried = create(timeline);
    assertThat(retried.status()).as(retried.body()).isEqualTo(201);
    assertThat(timelineCalls(destination, timeline)).isEqualTo(1);
    assertThat(api.get("/v1/tenant/" + tenant + "/timeline/" + timeline).status()).isEqualTo(200);
  }

  @Test
  void aCreationDuringAMigrationAlsoReachesTheLocationStillAttachedInTheOlderGeneration() {
    set(FailpointNames.LIVE_MIGRATE_PRE_AWAIT_LSN, "pause");
    long hits = failpoints.hits(FailpointNames.LIVE_MIGRATE_PRE_AWAIT_LSN);
    CompletableFuture<Response> migrating = CompletableFuture.supplyAsync(() -> migrate(true));
    // The destination holds the new generation; the origin is still attached in the old one.
    awaitHit(FailpointNames.LIVE_MIGRATE_PRE_AWAIT_LSN, hits);

    TimelineId timeline = TimelineId.generate();
    Response created = create(timeline);
    assertThat(created.status()).as(created.body()).isEqualTo(201);
    assertThat(timelineCalls(destination, timeline)).isEqualTo(1);
    assertThat(timelineCalls(origin, timeline)).isEqualTo(1);

    set(FailpointNames.LIVE_MIGRATE_PRE_AWAIT_LSN, "off");
    assertThat(migrating.join().status()).isEqualTo(200);
    ControllerProcess.await(
        DEADLINE,
        () -> fleet.pageserver(destination.value()).location(shard).isPresent(),
        "migration finished");
    assertThat(api.get("/v1/tenant/" + tenant + "/timeline/" + timeline).status()).isEqualTo(200);
  }

  private Response create(TimelineId timeline) {
    return api.post(
        "/v1/tenant/" + tenant + "/timeline",
        "{\"new_timeline_id\":\"%s\",\"pg_version\":17}".formatted(timeline));
  }

  private Response migrate(boolean prewarm) {
    return api.put(
        "/control/v1/tenant/" + shard + "/migrate",
        "{\"node_id\":%d,\"migration_config\":{\"prewarm\":%s}}"
            .formatted(destination.value(), prewarm));
  }

  /** The timeline creations this node received for the shard. */
  private long timelineCalls(NodeId node, TimelineId timeline) {
    return fleet.pageserver(node.value()).requests().stream()
        .filter(r -> r.method().equals("POST"))
        .map(RecordedRequest::uri)
        .filter(uri -> uri.equals("/v1/tenant/" + shard + "/timeline"))
        .count();
  }

  private void set(String name, String actions) {
    api.failpoint(name, actions);
  }

  private void awaitHit(String name, long before) {
    ControllerProcess.await(DEADLINE, () -> failpoints.hits(name) > before, name + " reached");
  }
}
