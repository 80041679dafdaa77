package io.storagecontroller.leadership;

import static org.assertj.core.api.Assertions.assertThat;

import io.storagecontroller.model.TenantId;
import io.storagecontroller.persistence.EmbeddedDatabase;
import io.storagecontroller.testing.ApiClient;
import io.storagecontroller.testing.ControllerProcess;
import io.storagecontroller.testing.ProcessFleet;
import io.storagecontroller.tools.simulator.PageserverFleet;
import io.storagecontroller.tools.simulator.SimulatedPageserver;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

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

  @Test
  void aCandidateTakesOverAndTheOldLeaderForwardsToIt() throws Exception {
    try (ControllerProcess a = controller("a");
        ControllerProcess b = controller("b", "--start-as-candidate")) {
      a.start().awaitReady(DEADLINE);
      try (PageserverFleet fleet = ProcessFleet.start(a, 2)) {
        TenantId before = TenantId.generate();
        assertThat(a.api().post("/v1/tenant", tenant(before)).status()).isEqualTo(201);

        b.start().awaitReady(DEADLINE);

        ApiClient viaA = a.api();
        assertThat(viaA.get("/live").status()).isEqualTo(503);
        assertThat(b.api().get("/live").status()).isEqualTo(200);
        assertThat(viaA.get("/metrics").body())
            .contains("storage_controller_leadership_status{status=\"stepped_down\"} 1");
        // Asked of A, answered by B.
        assertThat(viaA.get("/control/v1/leader").json().get("address").asString())
            .isEqualTo(b.url());
        assertThat(b.api().get("/control/v1/tenant/" + before).status()).isEqualTo(200);
        TenantId after = TenantId.generate();
        assertThat(viaA.post("/v1/tenant", tenant(after)).status()).isEqualTo(201);
        assertThat(b.api().get("/control/v1/tenant/" + after).status()).isEqualTo(200);
        for (TenantId t : new TenantId[] {before, after}) {
          ControllerProcess.await(
              DEADLINE,
              () -> fleet.pageservers().stream().anyMatch(ps -> attached(ps, t)),
              "tenant " + t + " attached");
        }
        assertThat(fleet.safety().violations()).isEmpty();
        // B did not list the pageservers' locations again: A's snapshot told it.
        assertThat(Files.readString(log("b"))).contains("from the previous leader's snapshot");
      }
    }
  }

  @Test
  void aLeaderFrozenAcrossTheHandoverCannotActWhenItWakes() throws Exception {
    try (ControllerProcess a = controller("frozen-a");
        ControllerProcess b = controller("frozen-b", "--start-as-candidate")) {
      a.start().awaitReady(DEADLINE);
      try (PageserverFleet fleet = ProcessFleet.start(a, 2)) {
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
        TenantId tenant = TenantId.generate();
        assertThat(b.api().post("/v1/tenant", tenant(tenant)).status()).isEqualTo(201);

        // Woken, A stops acting: it finds its lock gone and exits, or it first reads B's stale
        // step_down and steps down. Any transaction it tries meanwhile fails the term check.
        ControllerProcess.await(
            DEADLINE,
            () -> {
              try {
                return !a.isAlive() || a.api().get("/live").status() == 503;
              } catch (UncheckedIOException exiting) {
                return !a.isAlive();
              }
            },
            "the woken leader stopped acting");
        String log = Files.readString(log("frozen-a"));
        assertThat(log)
            .containsAnyOf("lost the leader lock to another controller", "stepped down from term");
        assertThat(b.api().get("/control/v1/tenant/" + tenant).status()).isEqualTo(200);
        assertThat(b.api().get("/live").status()).isEqualTo(200);
        assertThat(fleet.safety().violations()).isEmpty();
      }
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

  private static boolean attached(SimulatedPageserver ps, TenantId tenant) {
    return ps.locations().keySet().stream().anyMatch(id -> id.tenantId().equals(tenant));
  }
}
