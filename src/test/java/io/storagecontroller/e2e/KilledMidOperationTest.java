package io.storagecontroller.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import io.storagecontroller.model.LocationConfigMode;
import io.storagecontroller.model.ShardCount;
import io.storagecontroller.model.TenantId;
import io.storagecontroller.model.TenantShardId;
import io.storagecontroller.pageserver.LocationConfig;
import io.storagecontroller.split.SplitChildren;
import io.storagecontroller.testing.ApiClient;
import io.storagecontroller.testing.ApiClient.Response;
import io.storagecontroller.testing.ControllerProcess;
import io.storagecontroller.testing.ProcessFleet;
import io.storagecontroller.tools.simulator.PageserverFleet;
import io.storagecontroller.tools.simulator.SimulatedPageserver;
import io.temporal.testserver.TestServer;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.ServerSocket;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import tools.jackson.databind.JsonNode;

/**
 * The controller dies (a failpoint halts the process) at each phase of a split and of a live
 * migration, with a Temporal service outside it that keeps the workflow, and starts again on the
 * same database: the resumed workflow and the restarted controller's own repair between them leave
 * every tenant whole (all parents or all children; the shard on its origin or its destination),
 * attached exactly where the controller says, nothing held by an operation, and no two pageservers
 * attached in the same generation.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class KilledMidOperationTest {
  private static final Duration DEADLINE = Duration.ofSeconds(150);

  TestServer.PortBoundTestServer temporal;
  ControllerProcess controller;
  PageserverFleet fleet;
  ApiClient api;

  @BeforeAll
  void start(@TempDir Path dataDir) throws IOException {
    int port;
    try (ServerSocket probe = new ServerSocket(0)) {
      port = probe.getLocalPort();
    }
    // On the real clock: time skipping would fire the workflows' timers at once.
    temporal = TestServer.createPortBoundServer(port, true);
    Path log = Path.of("target", "process-logs", "killed-mid-operation-" + System.nanoTime());
    controller =
        new ControllerProcess(
            dataDir,
            Path.of(log + ".log"),
            "--temporal-target",
            "127.0.0.1:" + port,
            // The test server never hands a dead worker's sticky tasks on (Temporal's server does).
            "--temporal-sticky-timeout",
            "0s",
            "--heartbeat-interval",
            "200ms",
            "--max-offline-interval",
            "5s");
    controller.start().awaitReady(DEADLINE);
    api = controller.api();
    fleet = ProcessFleet.start(controller, 3);
  }

  @AfterAll
  void stop() throws IOException {
    try {
      if (fleet != null) {
        assertThat(fleet.safety().violations()).isEmpty();
        fleet.close();
      }
    } finally {
      try {
        controller.close();
      } finally {
        temporal.close();
      }
    }
  }

  @ParameterizedTest
  @ValueSource(
      strings = {
        "shard-split-post-begin",
        "shard-split-post-remote",
        "shard-split-pre-complete",
        "shard-split-post-complete"
      })
  void killedAtAPhaseOfASplitTheTenantIsWhole(String phase) {
    TenantId tenant = create(2);
    List<TenantShardId> parents = shardIds(tenant);
    List<TenantShardId> children = SplitChildren.ofAll(parents, ShardCount.of(4));
    failpoint(phase);

    CompletableFuture<Integer> answer =
        inBackground(
            () ->
                api.put(
                    "/control/v1/tenant/" + tenant + "/shard_split", "{\"new_shard_count\":4}"));
    restartAfterExit(answer, -1);

    awaitSettled(tenant);
    List<TenantShardId> now = shardIds(tenant);
    assertThat(List.of(Set.copyOf(parents), Set.copyOf(children))).contains(Set.copyOf(now));
    assertAttachedExactlyAsDescribed(tenant);
  }

  @ParameterizedTest
  @ValueSource(
      strings = {
        "reconciler-live-migrate-post-generation-inc",
        "reconciler-live-migrate-post-notify"
      })
  void killedAtAPhaseOfAMigrationTheShardIsOnItsOriginOrItsDestination(String phase) {
    TenantId tenant = create(0);
    JsonNode shard = shards(tenant).get(0);
    long origin = shard.get("node_attached").asLong();
    long destination = shard.get("node_secondary").get(0).asLong();
    failpoint(phase);

    CompletableFuture<Integer> answer =
        inBackground(
            () ->
                api.put(
                    "/control/v1/tenant/" + TenantShardId.unsharded(tenant) + "/migrate",
                    ("{\"node_id\":%d,\"migration_config\":{\"secondary_warmup_timeout\":"
                            + "\"5s\",\"secondary_download_request_timeout\":\"1s\"}}")
                        .formatted(destination)));
    // The migration runs on after its request is answered (or not, if the phase comes first).
    restartAfterExit(answer, 200);

    awaitSettled(tenant);
    assertThat(shards(tenant).get(0).get("node_attached").asLong()).isIn(origin, destination);
    assertAttachedExactlyAsDescribed(tenant);
  }

  private TenantId create(int shardCount) {
    TenantId tenant = TenantId.generate();
    Response created =
        api.post(
            "/v1/tenant",
            ("{\"new_tenant_id\":\"%s\",\"shard_parameters\":{\"count\":%d,\"stripe_size\":2048},"
                    + "\"placement_policy\":{\"Attached\":1}}")
                .formatted(tenant, shardCount));
    assertThat(created.status()).as(created.body()).isEqualTo(201);
    return tenant;
  }

  private void failpoint(String name) {
    Response set =
        api.put("/debug/v1/failpoints", "[{\"name\":\"%s\",\"actions\":\"exit\"}]".formatted(name));
    assertThat(set.status()).as(set.body()).isEqualTo(200);
  }

  /**
   * The failpoint halts the process; it is started again as a supervisor would. The call that
   * started the operation got {@code answered} or no answer at all (-1).
   */
  private void restartAfterExit(CompletableFuture<Integer> answer, int answered) {
    assertThat(controller.awaitExit(DEADLINE)).isNotZero();
    assertThat(answer.join()).isIn(answered, -1);
    controller.start().awaitReady(DEADLINE);
    for (SimulatedPageserver ps : fleet.pageservers()) {
      ControllerProcess.await(
          DEADLINE,
          () -> "Active".equals(ProcessFleet.availability(api, ps.nodeId())),
          "node " + ps.nodeId() + " active again");
    }
  }

  /** No operation of the tenant runs, nothing holds its shards, memory agrees with the database. */
  private void awaitSettled(TenantId tenant) {
    String[] why = {"not asked yet"};
    try {
      ControllerProcess.await(
          DEADLINE,
          () -> {
            why[0] = unsettled(tenant);
            return why[0] == null;
          },
          "tenant " + tenant + " settled");
    } catch (AssertionError e) {
      throw new AssertionError(e.getMessage() + ": " + why[0], e);
    }
  }

  /** Why the tenant is not settled yet; null when it is. */
  private String unsettled(TenantId tenant) {
    for (JsonNode op : api.get("/control/v1/operations?limit=50").json()) {
      if (op.get("target").asString().startsWith(tenant.toString())
          && "running".equals(op.get("state").asString())) {
        return "operation running: " + op;
      }
    }
    for (JsonNode s : api.get("/debug/v1/tenant").json()) {
      if (s.get("tenant_shard_id").asString().startsWith(tenant.toString())
          && !s.path("held_by").isNull()
          && !s.path("held_by").isMissingNode()) {
        return "shard held: " + s;
      }
    }
    api.post("/debug/v1/reconcile_all", "");
    Response check = api.post("/debug/v1/consistency_check", "");
    if (check.status() != 200) {
      return "inconsistent: " + check.body();
    }
    return placedAsDescribed(tenant)
        ? null
        : "not placed as described: " + shards(tenant) + " on " + held(tenant);
  }

  private String held(TenantId tenant) {
    StringBuilder out = new StringBuilder();
    for (SimulatedPageserver ps : fleet.pageservers()) {
      ps.locations()
          .forEach(
              (id, config) -> {
                if (id.tenantId().equals(tenant)) {
                  out.append(ps.nodeId()).append(':').append(id).append('=').append(config.mode());
                  out.append('/').append(config.generation()).append(' ');
                }
              });
    }
    return out.toString();
  }

  private void assertAttachedExactlyAsDescribed(TenantId tenant) {
    assertThat(placedAsDescribed(tenant)).isTrue();
    assertThat(fleet.safety().violations()).isEmpty();
  }

  /**
   * Each shard the controller describes is attached (single) on its node in the stored generation,
   * and no pageserver holds any other attached location of the tenant.
   */
  private boolean placedAsDescribed(TenantId tenant) {
    Set<TenantShardId> described = new HashSet<>();
    for (JsonNode s : shards(tenant)) {
      TenantShardId id = TenantShardId.parse(s.get("tenant_shard_id").asString());
      described.add(id);
      if (s.get("node_attached").isNull()) {
        return false;
      }
      Optional<LocationConfig> there =
          fleet.pageserver(s.get("node_attached").asLong()).location(id);
      if (there.isEmpty() || there.get().mode() != LocationConfigMode.ATTACHED_SINGLE) {
        return false;
      }
    }
    for (SimulatedPageserver ps : fleet.pageservers()) {
      for (var held : ps.locations().entrySet()) {
        if (held.getKey().tenantId().equals(tenant)
            && held.getValue().mode() != LocationConfigMode.SECONDARY
            && !described.contains(held.getKey())) {
          return false;
        }
      }
    }
    return true;
  }

  private List<TenantShardId> shardIds(TenantId tenant) {
    List<TenantShardId> ids = new ArrayList<>();
    shards(tenant).forEach(s -> ids.add(TenantShardId.parse(s.get("tenant_shard_id").asString())));
    return ids;
  }

  private JsonNode shards(TenantId tenant) {
    return api.get("/control/v1/tenant/" + tenant).json().get("shards");
  }

  private static CompletableFuture<Integer> inBackground(
      java.util.function.Supplier<Response> call) {
    return CompletableFuture.supplyAsync(
        () -> {
          try {
            return call.get().status();
          } catch (UncheckedIOException connectionLost) {
            return -1;
          }
        });
  }
}
