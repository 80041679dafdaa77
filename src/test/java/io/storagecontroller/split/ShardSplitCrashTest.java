package io.storagecontroller.split;

import static org.assertj.core.api.Assertions.assertThat;

import io.storagecontroller.model.LocationConfigMode;
import io.storagecontroller.model.ShardCount;
import io.storagecontroller.model.TenantId;
import io.storagecontroller.model.TenantShardId;
import io.storagecontroller.model.TimelineId;
import io.storagecontroller.pageserver.LocationConfig;
import io.storagecontroller.testing.ApiClient;
import io.storagecontroller.testing.ApiClient.Response;
import io.storagecontroller.testing.ControllerProcess;
import io.storagecontroller.tools.simulator.Fault;
import io.storagecontroller.tools.simulator.PageserverFleet;
import io.storagecontroller.tools.simulator.SimulatedPageserver;
import io.storagecontroller.tools.simulator.SimulatorOptions;
import java.io.UncheckedIOException;
import java.net.URI;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.MissingNode;

/**
 * The controller process killed with SIGKILL in the middle of a split, then started again on the
 * same database: before the commit the split is rolled back, after it the split is resumed; the
 * tenant never ends with both parents and children, or neither. The in-process Temporal service
 * forgets the workflow with the process, so recovery comes from Postgres alone.
 */
class ShardSplitCrashTest {
  static final Duration DEADLINE = Duration.ofSeconds(120);

  @TempDir Path dataDir;
  ControllerProcess controller;
  PageserverFleet fleet;
  ApiClient api;
  TenantId tenant;
  List<TenantShardId> parents;
  List<TenantShardId> children;
  TimelineId timeline;

  @BeforeEach
  void start() {
    Path log = Path.of("target", "process-logs", "split-crash-" + System.nanoTime() + ".log");
    controller =
        new ControllerProcess(
                dataDir, log, "--heartbeat-interval", "200ms", "--max-offline-interval", "5s")
            .start();
    controller.awaitReady(DEADLINE);
    api = controller.api();
    fleet =
        PageserverFleet.start(
            SimulatorOptions.defaults()
                .withPageservers(3)
                .withFirstNodeId(1)
                .withAvailabilityZone(n -> "az-a")
                .withController(URI.create(controller.url())));
    awaitNodesActive();
    tenant = TenantId.generate();
    Response created =
        api.post(
            "/v1/tenant",
            ("{\"new_tenant_id\":\"%s\",\"shard_parameters\":{\"count\":2,\"stripe_size\":2048},"
                    + "\"placement_policy\":{\"Attached\":1}}")
                .formatted(tenant));
    assertThat(created.status()).as(created.body()).isEqualTo(201);
    timeline = TimelineId.generate();
    assertThat(
            api.post(
                    "/v1/tenant/" + tenant + "/timeline",
                    "{\"new_timeline_id\":\"%s\",\"pg_version\":16}".formatted(timeline))
                .status())
        .isEqualTo(201);
    parents = shardIds();
    children = SplitChildren.ofAll(parents, ShardCount.of(4));
  }

  @AfterEach
  void stop() {
    try {
      if (fleet != null) {
        assertThat(fleet.safety().violations()).isEmpty();
        fleet.close();
      }
    } finally {
      controller.close();
    }
  }

  @Test
  void killedBeforeTheCommitTheSplitIsRolledBack() {
    failpoint("shard-split-pre-complete", "pause");
    CompletableFuture<Integer> answer = splitInBackground();
    ControllerProcess.await(
        DEADLINE,
        () -> latestSplit().path("progress_done").asInt() == parents.size(),
        "every parent split on its pageserver");
    // The pageservers now hold the children attached, and the parents only as secondaries.
    assertThat(attachedShards()).containsExactlyInAnyOrderElementsOf(children);

    restartAfterKill(answer);

    awaitSettled();
    assertExactly(parents);
    assertTimelineReadable();
    JsonNode first = splitOperations().get(0);
    assertThat(first.get("state").asString()).isEqualTo("failed");
    assertThat(first.get("phase").asString()).isEqualTo("rolled_back");
    assertThat(first.get("error").asString()).contains("interrupted");
  }

  @Test
  void killedDuringAPageserverSplitTheSplitIsRolledBack() {
    // The split call is slow to answer: the controller dies while it is in flight, and the
    // pageserver completes it afterwards.
    SimulatedPageserver first = fleet.pageserver(attachedNode(parents.get(0)));
    first.fault(Fault.slow(Duration.ofMillis(1500)));
    CompletableFuture<Integer> answer = splitInBackground();
    ControllerProcess.await(
        DEADLINE,
        () -> first.requests().stream().anyMatch(r -> r.uri().endsWith("/shard_split")),
        "the split call sent");

    restartAfterKill(answer);
    first.clearFaults();

    awaitSettled();
    assertExactly(parents);
    assertTimelineReadable();
    assertThat(splitOperations().get(0).get("state").asString()).isEqualTo("failed");
  }

  @Test
  void killedAfterTheCommitTheSplitIsResumed() {
    failpoint("shard-split-post-complete", "pause");
    CompletableFuture<Integer> answer = splitInBackground();
    ControllerProcess.await(
        DEADLINE,
        () -> "committed".equals(latestSplit().path("phase").asString(null)),
        "the commit");

    restartAfterKill(answer);

    ControllerProcess.await(
        DEADLINE,
        () ->
            splitOperations().size() == 2
                && "succeeded".equals(splitOperations().get(1).get("state").asString()),
        "the resumed split finished");
    List<JsonNode> operations = splitOperations();
    assertThat(operations.get(0).get("state").asString()).isEqualTo("succeeded");
    assertThat(operations.get(0).get("error").asString()).contains("resumed");
    awaitSettled();
    assertExactly(children);
    assertTimelineReadable();
    // The resumed steps spread the children, which had all stayed on their parents' nodes.
    Set<Long> nodes = new HashSet<>();
    for (JsonNode s : api.get("/control/v1/tenant/" + tenant).json().get("shards")) {
      nodes.add(s.get("node_attached").asLong());
    }
    assertThat(nodes).hasSize(3);
  }

  void restartAfterKill(CompletableFuture<Integer> answer) {
    controller.kill(DEADLINE);
    assertThat(answer.join())
        .as("the caller of the killed controller gets no answer")
        .isEqualTo(-1);
    controller.start().awaitReady(DEADLINE);
    awaitNodesActive();
  }

  CompletableFuture<Integer> splitInBackground() {
    return CompletableFuture.supplyAsync(
        () -> {
          try {
            return api.put(
                    "/control/v1/tenant/" + tenant + "/shard_split", "{\"new_shard_count\":4}")
                .status();
          } catch (UncheckedIOException connectionLost) {
            return -1;
          }
        });
  }

  void failpoint(String name, String actions) {
    api.failpoint(name, actions);
  }

  void awaitNodesActive() {
    for (SimulatedPageserver ps : fleet.pageservers()) {
      ControllerProcess.await(
          DEADLINE,
          () ->
              "Active"
                  .equals(
                      api.get("/control/v1/node/" + ps.nodeId())
                          .json()
                          .path("availability")
                          .asString()),
          "node " + ps.nodeId() + " active");
    }
  }

  void awaitSettled() {
    ControllerProcess.await(
        DEADLINE,
        () -> {
          api.post("/debug/v1/reconcile_all", "");
          return api.post("/debug/v1/consistency_check", "").status() == 200;
        },
        "an idle, consistent controller");
  }

  List<TenantShardId> shardIds() {
    List<TenantShardId> ids = new ArrayList<>();
    for (JsonNode s : api.get("/control/v1/tenant/" + tenant).json().get("shards")) {
      ids.add(TenantShardId.parse(s.get("tenant_shard_id").asString()));
    }
    return ids;
  }

  long attachedNode(TenantShardId shard) {
    for (JsonNode s : api.get("/control/v1/tenant/" + tenant).json().get("shards")) {
      if (s.get("tenant_shard_id").asString().equals(shard.toString())) {
        return s.get("node_attached").asLong();
      }
    }
    throw new AssertionError(shard + " not found");
  }

  /** Every shard id of the tenant some pageserver holds, in any mode. */
  List<TenantShardId> heldShards() {
    Set<TenantShardId> held = new HashSet<>();
    for (SimulatedPageserver ps : fleet.pageservers()) {
      ps.locations().keySet().stream()
          .filter(id -> id.tenantId().equals(tenant))
          .forEach(held::add);
    }
    return List.copyOf(held);
  }

  /** Every shard id of the tenant some pageserver holds in an attached mode. */
  List<TenantShardId> attachedShards() {
    List<TenantShardId> attached = new ArrayList<>();
    for (SimulatedPageserver ps : fleet.pageservers()) {
      ps.locations()
          .forEach(
              (id, config) -> {
                if (id.tenantId().equals(tenant) && config.mode() != LocationConfigMode.SECONDARY) {
                  attached.add(id);
                }
              });
    }
    return attached;
  }

  /**
   * Exactly these shards, none splitting, each attached where the controller says with the
   * generation the database holds; no pageserver holds any other shard of the tenant (once the
   * strays are detached).
   */
  void assertExactly(List<TenantShardId> expected) {
    assertThat(shardIds()).containsExactlyElementsOf(expected);
    // Strays are detached by the start-up workflow's last step, after readiness and the compute
    // notifications: a consistent controller may not have got to them yet.
    ControllerProcess.await(
        DEADLINE, () -> expected.containsAll(heldShards()), "the other shards detached");
    for (JsonNode s : api.get("/control/v1/tenant/" + tenant).json().get("shards")) {
      assertThat(s.get("is_splitting").asBoolean()).isFalse();
      TenantShardId id = TenantShardId.parse(s.get("tenant_shard_id").asString());
      JsonNode attachment =
          api.post("/debug/v1/inspect", "{\"tenant_shard_id\":\"%s\"}".formatted(id))
              .json()
              .get("attachment");
      long generation = attachment.get(0).asLong();
      long node = attachment.get(1).asLong();
      assertThat(node).isEqualTo(s.get("node_attached").asLong());
      LocationConfig held = fleet.pageserver(node).location(id).orElse(null);
      assertThat(held).as("%s on node %d", id, node).isNotNull();
      assertThat(held.mode()).isEqualTo(LocationConfigMode.ATTACHED_SINGLE);
      assertThat(held.generation()).isEqualTo(generation);
    }
  }

  void assertTimelineReadable() {
    Response relayed = api.get("/v1/tenant/" + tenant + "/timeline");
    assertThat(relayed.status()).as(relayed.body()).isEqualTo(200);
    assertThat(relayed.body()).contains(timeline.toString());
    for (TenantShardId shard : shardIds()) {
      SimulatedPageserver holder = fleet.pageserver(attachedNode(shard));
      assertThat(
              new ApiClient(holder.baseUrl().toString())
                  .get("/v1/tenant/" + shard + "/timeline")
                  .body())
          .contains(timeline.toString());
    }
  }

  JsonNode latestSplit() {
    List<JsonNode> ops = splitOperations();
    return ops.isEmpty() ? MissingNode.getInstance() : ops.get(ops.size() - 1);
  }

  /** This tenant's split operations, oldest first. */
  List<JsonNode> splitOperations() {
    List<JsonNode> mine = new ArrayList<>();
    for (JsonNode op : api.get("/control/v1/operations?limit=1000").json()) {
      if (op.get("kind").asString().equals("split")
          && op.get("target").asString().equals(tenant.toString())) {
        mine.add(0, op);
      }
    }
    return mine;
  }
}
