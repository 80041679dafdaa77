package io.storagecontroller.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import io.storagecontroller.model.TenantId;
import io.storagecontroller.model.TenantShardId;
import io.storagecontroller.pageserver.LocationConfig;
import io.storagecontroller.persistence.EmbeddedDatabase;
import io.storagecontroller.testing.ApiClient;
import io.storagecontroller.testing.ApiClient.Response;
import io.storagecontroller.testing.ControllerProcess;
import io.storagecontroller.testing.ProcessFleet;
import io.storagecontroller.tools.simulator.PageserverFleet;
import io.storagecontroller.tools.simulator.SimulatedPageserver;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The database comes back behind the pageservers (restored from an older backup): the controller
 * notices the newer generation a pageserver holds, issues none for that shard, and says so on
 * {@code /ready}, in a metric and in its log.
 */
class GenerationRegressionTest {
  private static final Duration DEADLINE = Duration.ofSeconds(120);

  @TempDir Path dir;

  @Test
  void aDatabaseRestoredBehindThePageserversIsNoticedAndIssuesNothing() throws Exception {
    try (EmbeddedDatabase database = EmbeddedDatabase.start(dir.resolve("postgres"))) {
      String url = database.databaseUrl();
      Path log = Path.of("target", "process-logs", "regression-" + System.nanoTime() + ".log");
      try (ControllerProcess controller =
          new ControllerProcess(
              dir.resolve("controller"),
              log,
              "--database-url",
              url,
              "--heartbeat-interval",
              "200ms")) {
        controller.start().awaitReady(DEADLINE);
        ApiClient api = controller.api();
        try (PageserverFleet fleet = ProcessFleet.start(controller, 1)) {
          SimulatedPageserver pageserver = fleet.pageservers().get(0);
          TenantId tenant = TenantId.generate();
          TenantShardId shard = TenantShardId.unsharded(tenant);
          assertThat(
                  api.post("/v1/tenant", "{\"new_tenant_id\":\"%s\"}".formatted(tenant)).status())
              .isEqualTo(201);
          long backedUp = awaitHeld(pageserver, shard, 1);
          // Two restarts later the pageserver holds a generation the backup has never seen.
          pageserver.restart();
          pageserver.restart();
          long held = awaitHeld(pageserver, shard, backedUp + 2);

          controller.terminate(DEADLINE);
          restoreGeneration(database, tenant, backedUp);
          controller.start();

          ControllerProcess.await(
              DEADLINE,
              () -> {
                try {
                  Response ready = api.get("/ready");
                  return ready.status() == 503 && ready.body().contains("generation regression");
                } catch (UncheckedIOException notListeningYet) {
                  return false;
                }
              },
              "/ready naming the regression");
          Response ready = api.get("/ready");
          assertThat(ready.msg()).contains(shard.toString(), "database " + backedUp);
          assertThat(ready.msg()).contains("pageserver " + held);
          assertThat(api.get("/metrics").body())
              .contains("storage_controller_generation_regressed_shards 1");
          assertThat(Files.readString(log)).contains("the database is behind");

          // The pageserver restarts: no generation is handed out for the shard, so it drops it
          // rather than take one that may already exist.
          pageserver.restart();
          ControllerProcess.await(
              DEADLINE, () -> pageserver.location(shard).isEmpty(), "the shard dropped");
          assertThat(fleet.safety().violations()).isEmpty();
        }
        controller.terminate(DEADLINE);
      }
    }
  }

  private static long awaitHeld(SimulatedPageserver pageserver, TenantShardId shard, long atLeast) {
    ControllerProcess.await(
        DEADLINE,
        () ->
            pageserver
                .location(shard)
                .map(LocationConfig::generation)
                .filter(g -> g != null && g >= atLeast)
                .isPresent(),
        shard + " attached at generation " + atLeast + " or later");
    return pageserver.location(shard).orElseThrow().generation();
  }

  private static void restoreGeneration(EmbeddedDatabase database, TenantId tenant, long generation)
      throws SQLException {
    try (Connection db =
            DriverManager.getConnection(
                database.jdbcUrl(), database.username(), database.password());
        PreparedStatement update =
            db.prepareStatement("UPDATE tenant_shards SET generation = ? WHERE tenant_id = ?")) {
      update.setLong(1, generation);
      update.setString(2, tenant.toString());
      assertThat(update.executeUpdate()).isEqualTo(1);
    }
  }
}
