package io.storagecontroller.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import io.storagecontroller.model.TenantId;
import io.storagecontroller.persistence.EmbeddedDatabase;
import io.storagecontroller.testing.ApiClient;
import io.storagecontroller.testing.ApiClient.Response;
import io.storagecontroller.testing.ControllerProcess;
import io.storagecontroller.testing.ProcessFleet;
import io.storagecontroller.tools.simulator.PageserverFleet;
import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * PostgreSQL stops under a running controller: calls that need it answer 503 with Neon's body (not
 * a 500, not a half-made change), reads from memory still answer, and once it is back on the same
 * address everything works again without a restart.
 */
class DatabaseOutageTest {
  private static final Duration DEADLINE = Duration.ofSeconds(120);

  @TempDir Path dir;

  @Test
  void whileTheDatabaseIsDownWritesAnswer503AndItAllWorksOnceItIsBack() throws Exception {
    EmbeddedDatabase database = EmbeddedDatabase.start(dir.resolve("postgres"));
    int port = database.port();
    Path log = Path.of("target", "process-logs", "db-outage-" + System.nanoTime() + ".log");
    try (ControllerProcess controller =
        new ControllerProcess(
            dir.resolve("controller"),
            log,
            "--database-url",
            database.databaseUrl(),
            "--heartbeat-interval",
            "200ms")) {
      controller.start().awaitReady(DEADLINE);
      ApiClient api = controller.api();
      try (PageserverFleet fleet = ProcessFleet.start(controller, 2)) {
        TenantId kept = TenantId.generate();
        assertThat(api.post("/v1/tenant", "{\"new_tenant_id\":\"%s\"}".formatted(kept)).status())
            .isEqualTo(201);

        database.close();
        TenantId refused = TenantId.generate();
        Response create = api.post("/v1/tenant", "{\"new_tenant_id\":\"%s\"}".formatted(refused));
        assertThat(create.status()).as(create.body()).isEqualTo(503);
        assertThat(create.msg()).isEqualTo("database unavailable, retry later");
        Response delete = api.delete("/v1/tenant/" + kept);
        assertThat(delete.status()).as(delete.body()).isEqualTo(503);
        assertThat(api.get("/control/v1/tenant/" + kept).status()).isEqualTo(200);

        database = EmbeddedDatabase.start(dir.resolve("postgres"), port);
        ControllerProcess.await(
            DEADLINE,
            () ->
                api.post("/v1/tenant", "{\"new_tenant_id\":\"%s\"}".formatted(refused)).status()
                    == 201,
            "a create once the database is back");
        ControllerProcess.await(
            DEADLINE,
            () -> api.delete("/v1/tenant/" + kept).status() / 100 == 2,
            "the delete repeated once the database is back");
        assertThat(api.get("/control/v1/tenant/" + kept).status()).isEqualTo(404);
        ControllerProcess.await(
            DEADLINE,
            () -> api.post("/debug/v1/consistency_check", "").status() == 200,
            "a consistent controller");
        assertThat(fleet.safety().violations()).isEmpty();
      }
      controller.terminate(DEADLINE);
    } finally {
      database.close();
    }
  }
}
