package io.storagecontroller.leadership;

import static org.assertj.core.api.Assertions.assertThat;

import io.storagecontroller.model.LocationConfigMode;
import io.storagecontroller.model.TenantId;
import io.storagecontroller.model.TenantShardId;
import io.storagecontroller.persistence.EmbeddedDatabase;
import io.storagecontroller.testing.ApiClient;
import io.storagecontroller.testing.ControllerProcess;
import io.storagecontroller.testing.ProcessFleet;
import io.storagecontroller.tools.simulator.PageserverFleet;
import io.temporal.testserver.TestServer;
import java.io.UncheckedIOException;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import tools.jackson.databind.JsonNode;

/**
 * A rolling deploy on one PostgreSQL: controller B starts as candidate, asks A to step down and
 * leads; A forwards what it is asked to B. And the case Neon does not cover: a leader frozen across
 * the handover cannot act when it wakes up.
 */
class HandoverTest {
  private static final Duration DEADLINE = Duration.ofSeconds(120);

  @TempDir Path dir;
  private EmbeddedDatabase database;
  private String databaseUrl;

  @BeforeEach
  void startDatabase() {
    database = EmbeddedDatabase.start(dir.resolve("postgres"));
    databaseUrl = database.databaseUrl();
  }

  @AfterEach
  void stopDatabase() throws Exception {
    database.close();
  }

  /**
   * Both controllers on one PostgreSQL and one Temporal service (the SDK's test server on a
   * loopback port), under a client load of creates, live migrations, splits and timeline creates
   * through the old leader: the candidate takes over, the old leader forwards, workflows the old
   * leader started finish under the new one. Nothing acknowledged is lost, every shard ends
   * attached exactly once where the new leader says, and no generation was ever held twice.
   */
  @Test
  void aCandidateTakesOverUnderLoadAndTheOldLeaderForwardsToIt() throws Exception {
    SharedTemporal temporal = SharedTemporal.start();
    String[] sharedTemporal = temporal.args();
    try (ControllerProcess a = controller("a").withArgs(sharedTemporal);
        ControllerProcess b = controller("b", "--start-as-candidate").withArgs(sharedTemporal)) {
      a.start().awaitReady(DEADLINE);
      try (PageserverFleet fleet = ProcessFleet.start(a, 3)) {
        HandoverLoad load = new HandoverLoad(a.api(), fleet);
        load.start();
        load.awaitOperations(20);
        b.start().awaitReady(DEADLINE);
        load.awaitOperations(load.operations() + 20);
        load.stop();

        ApiClient viaA = a.api();
        assertThat(viaA.get("/live").status()).isEqualTo(503);
        assertThat(b.api().get("/live").status()).isEqualTo(200);
        assertThat(viaA.get("/metrics").body())
            .contains("storage_controller_leadership_status{status=\"stepped_down\"} 1");
        // Asked of A, answered by B.
        assertThat(viaA.get("/control/v1/leader").json().get("address").asString())
            .isEqualTo(b.url());
        assertThat(load.unexpected()).as("answers no client should get").isEmpty();
        assertThat(load.acknowledgedTenants()).hasSizeGreaterThan(5);

        // The optimiser may still be levelling what the load left uneven (one move in flight is
        // held, so the sweep finds nothing to do): paused, so that placements are read with nothing
        // moving.
        assertThat(b.api().put("/control/v1/optimiser", "{\"paused\":true}").status())
            .isEqualTo(200);
        awaitIdle(b.api());
        load.assertNothingAcknowledgedLost(b.api());
        assertAttachedOnceWhereTheLeaderSays(b.api(), fleet, load.acknowledgedTenants());
        for (JsonNode op : b.api().get("/control/v1/operations?limit=1000").json()) {
          assertThat(op.get("state").asString()).as("operation %s", op).isNotEqualTo("running");
        }
        assertThat(fleet.safety().violations()).isEmpty();
        // B did not list the pageservers' locations again: A's snapshot told it.
        // ... read ahead while A led, then brought up to date by what A answered had changed since.
        assertThat(Files.readString(log("b")))
            .contains("from the previous leader's snapshot")
            .contains("the previous leader's snapshot taken into memory for 3 nodes")
            .contains("read the leader's observed state ahead")
            .contains("put the leader's observed state read ahead in memory")
            .contains("changes since the read ahead");
        // Nothing in B acted on the nodes it read ahead before it led: no heartbeat changed one.
        String bLog = Files.readString(log("b"));
        int led = bLog.indexOf("leading this database");
        assertThat(led).isPositive();
        assertThat(bLog.substring(0, led)).doesNotContain(" is now ACTIVE");
      }
    } finally {
      temporal.close();
    }
  }

  /**
   * A drain whose window of migrations sits in warm-up (secondaries take an hour to download, so
   * each move waits out its 30 s bound) when the candidate takes over: A abandons the window at its
   * step-down, neither reverting nor finishing its moves, and B's workers run the window again and
   * finish the drain. Every shard ends attached exactly once where B says, none on the drained
   * node.
   */
  @Test
  void aDrainWindowUnderWayAtTheHandoverIsResumedByTheNewLeader() throws Exception {
    SharedTemporal temporal = SharedTemporal.start();
    String[] sharedTemporal = temporal.args();
    try (ControllerProcess a = controller("drain-a").withArgs(sharedTemporal);
        ControllerProcess b =
            controller("drain-b", "--start-as-candidate").withArgs(sharedTemporal)) {
      a.start().awaitReady(DEADLINE);
      try (PageserverFleet fleet =
          ProcessFleet.start(a, 3, o -> o.withSecondaryDownloadTime(Duration.ofHours(1)))) {
        List<TenantId> tenants = new ArrayList<>();
        for (int i = 0; i < 6; i++) {
          TenantId tenant = TenantId.generate();
          // With a secondary each: a drain moves an attachment only to a secondary.
          String body =
              "{\"new_tenant_id\":\"%s\",\"placement_policy\":{\"Attached\":1}}".formatted(tenant);
          assertThat(a.api().post("/v1/tenant", body).status()).isEqualTo(201);
          tenants.add(tenant);
        }
        awaitIdle(a.api());
        long before = a.api().attachedTo(1);
        assertThat(before).isPositive();
        assertThat(a.api().put("/control/v1/node/1/drain", "").status()).isEqualTo(202);
        // The window's moves have begun (intents moved) and wait for their destinations to warm.
        ControllerProcess.await(
            DEADLINE, () -> a.api().attachedTo(1) < before, "the drain's window under way");

        b.start().awaitReady(DEADLINE);

        assertThat(logOf("drain-a")).contains("abandoning 1 migration windows");
        ControllerProcess.await(
            DEADLINE,
            () ->
                "PauseForRestart"
                    .equals(b.api().get("/control/v1/node/1").json().path("scheduling").asString()),
            "the drain finished under B");
        assertThat(logOf("drain-b")).containsPattern("migration window of \\d+ shards ended");
        awaitIdle(b.api());
        assertThat(b.api().attachedTo(1)).isZero();
        assertAttachedOnceWhereTheLeaderSays(b.api(), fleet, tenants);
        assertThat(fleet.safety().violations()).isEmpty();
      }
    } finally {
      temporal.close();
    }
  }

  /** The SDK's test server on a loopback port, for two controllers to share. */
  private record SharedTemporal(TestServer.PortBoundTestServer server, int port)
      implements AutoCloseable {
    static SharedTemporal start() throws java.io.IOException {
      int port;
      try (ServerSocket probe = new ServerSocket(0)) {
        port = probe.getLocalPort();
      }
      return new SharedTemporal(TestServer.createPortBoundServer(port, true), port);
    }

    String[] args() {
      return new String[] {
        "--temporal-target", "127.0.0.1:" + port, "--temporal-sticky-timeout", "0s"
      };
    }

    @Override
    public void close() {
      server.close();
    }
  }

  /**
   * A rolling deploy that meets a database restart (the chaos soak's failed deploys): the candidate
   * starts while PostgreSQL is down, waits for it instead of exiting, and takes over once it is
   * back.
   */
  @Test
  void aCandidateStartedWhileTheDatabaseIsDownTakesOverOnceItIsBack() throws Exception {
    int port = database.port();
    try (ControllerProcess a = controller("a");
        ControllerProcess b = controller("b", "--start-as-candidate")) {
      a.start().awaitReady(DEADLINE);
      database.close();
      b.start();
      // Long enough for a candidate that does not wait to have given up and exited.
      ControllerProcess.await(
          DEADLINE,
          () -> {
            try {
              return !b.isAlive() || b.api().get("/status").status() == 200;
            } catch (UncheckedIOException notYet) {
              return false;
            }
          },
          "b's HTTP server up (or b gone)");
      assertThat(b.isAlive()).as("the candidate waits for its database").isTrue();
      database = EmbeddedDatabase.start(dir.resolve("postgres"), port);

      b.awaitReady(DEADLINE);
      assertThat(b.api().get("/live").status()).isEqualTo(200);
      ControllerProcess.await(
          DEADLINE, () -> a.api().get("/live").status() == 503, "a no longer leading");
      assertThat(b.api().get("/control/v1/leader").json().get("address").asString())
          .isEqualTo(b.url());
    }
  }

  /**
   * Reconciles on the leader until no operation runs, it has nothing left to do and its state is
   * consistent.
   */
  private static void awaitIdle(ApiClient leader) {
    ControllerProcess.await(
        DEADLINE,
        () -> {
          for (JsonNode op : leader.get("/control/v1/operations?limit=1000").json()) {
            if (op.get("state").asString().equals("running")) {
              return false;
            }
          }
          ApiClient.Response sweep = leader.post("/debug/v1/reconcile_all", "");
          return sweep.status() == 200
              && sweep.body().strip().equals("0")
              && leader.post("/debug/v1/consistency_check", "").status() == 200;
        },
        "the new leader idle and consistent");
  }

  /** Each shard is attached (AttachedSingle) on exactly one pageserver: the one the leader says. */
  private static void assertAttachedOnceWhereTheLeaderSays(
      ApiClient leader, PageserverFleet fleet, List<TenantId> tenants) {
    for (TenantId tenant : tenants) {
      for (JsonNode shard : leader.get("/control/v1/tenant/" + tenant).json().get("shards")) {
        TenantShardId id = TenantShardId.parse(shard.get("tenant_shard_id").asString());
        List<Long> attachedOn =
            fleet.pageservers().stream()
                .filter(
                    ps ->
                        ps.location(id)
                            .filter(c -> c.mode() == LocationConfigMode.ATTACHED_SINGLE)
                            .isPresent())
                .map(ps -> ps.nodeId().value())
                .toList();
        assertThat(attachedOn)
            .as("%s attached on", id)
            .containsExactly(shard.get("node_attached").asLong());
      }
    }
  }

  /**
   * The fencing Neon does not have: A is frozen (SIGSTOP) in the middle of attaching a new tenant,
   * just before it would issue the generation, and stays frozen across the handover. Woken, it
   * steps down (its lock gone, or B's step_down request answered late), and the generation it then
   * tries to issue is refused by the newer term and counted; B alone attaches the tenant.
   */
  @Test
  void aLeaderFrozenAcrossTheHandoverCannotActWhenItWakes() throws Exception {
    try (ControllerProcess a = controller("frozen-a");
        ControllerProcess b = controller("frozen-b", "--start-as-candidate")) {
      a.start().awaitReady(DEADLINE);
      try (PageserverFleet fleet = ProcessFleet.start(a, 2)) {
        assertThat(a.api().put("/debug/v1/failpoints", failpoint("pause")).status()).isEqualTo(200);
        TenantId tenant = TenantId.generate();
        // Its answer does not matter: A stores the tenant, then its reconcile pauses.
        CompletableFuture<ApiClient.Response> create =
            CompletableFuture.supplyAsync(() -> a.api().post("/v1/tenant", tenant(tenant)));
        ControllerProcess.await(
            DEADLINE,
            () -> logOf("frozen-a").contains("failpoint " + GENERATION_FAILPOINT + ": paused"),
            "A about to issue a generation");
        a.signal("STOP");
        try {
          // A cannot answer step_down: B waits out its grace, ends A's lock session and leads.
          // Meanwhile B is up as a candidate and serves its probes only (Neon's gate).
          b.start();
          ControllerProcess.await(DEADLINE, () -> answers(b, "/status") == 200, "b listening");
          ApiClient.Response gated = b.api().get("/control/v1/node");
          assertThat(gated.status()).isEqualTo(503);
          assertThat(gated.msg()).isEqualTo("Current leadership status is candidate");
          assertThat(b.api().get("/ready").status()).isEqualTo(503);
          assertThat(b.api().get("/metrics").body())
              .contains("storage_controller_leadership_status{status=\"candidate\"} 1");
          b.awaitReady(DEADLINE);
        } finally {
          a.signal("CONT");
        }

        // Woken, A steps down: it stays up, forwarding to B.
        ControllerProcess.await(
            DEADLINE,
            () ->
                a.api().metric("storage_controller_leadership_status{status=\"stepped_down\"}")
                    == 1,
            "A stepped down");
        // Whichever it noticed first: its lock gone, or B's step_down request that waited for it.
        assertThat(logOf("frozen-a"))
            .containsAnyOf("lost the leader lock to another controller", "stepped down from term");
        double fencedBefore = a.api().metric("storage_controller_fenced_transactions_total");
        // Let A's paused reconcile go on: the generation it issues next is refused.
        assertThat(a.api().put("/debug/v1/failpoints", failpoint("off")).status()).isEqualTo(200);
        ControllerProcess.await(
            DEADLINE,
            () -> a.api().metric("storage_controller_fenced_transactions_total") > fencedBefore,
            "A's generation refused and counted");
        assertThat(logOf("frozen-a")).contains("refused: this controller leads term");

        // B alone attached the tenant; A forwards to B.
        awaitIdle(b.api());
        assertAttachedOnceWhereTheLeaderSays(b.api(), fleet, List.of(tenant));
        assertThat(a.api().get("/control/v1/tenant/" + tenant).status()).isEqualTo(200);
        assertThat(b.api().get("/live").status()).isEqualTo(200);
        assertThat(a.api().get("/live").status()).isEqualTo(503);
        assertThat(fleet.safety().violations()).isEmpty();
        create.exceptionally(e -> null).join();
      }
    }
  }

  private static final String GENERATION_FAILPOINT = "reconciler-pre-increment-generation";

  private static String failpoint(String actions) {
    return "[{\"name\":\"%s\",\"actions\":\"%s\"}]".formatted(GENERATION_FAILPOINT, actions);
  }

  private String logOf(String name) {
    try {
      return Files.readString(log(name));
    } catch (java.io.IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** The status of a GET, or 0 while the process does not listen yet. */
  private static int answers(ControllerProcess process, String path) {
    try {
      return process.api().get(path).status();
    } catch (UncheckedIOException notYet) {
      return 0;
    }
  }

  private ControllerProcess controller(String name, String... more) {
    ControllerProcess process =
        new ControllerProcess(
            dir.resolve(name),
            log(name),
            "--database-url",
            databaseUrl,
            "--heartbeat-interval",
            "200ms");
    return process.withArgs("--address-for-peers", process.url()).withArgs(more);
  }

  private Path log(String name) {
    return Path.of("target", "process-logs", "handover-" + name + "-" + dir.getFileName());
  }

  private static String tenant(TenantId id) {
    return "{\"new_tenant_id\":\"%s\",\"shard_parameters\":{\"count\":2,\"stripe_size\":2048}}"
        .formatted(id);
  }
}
