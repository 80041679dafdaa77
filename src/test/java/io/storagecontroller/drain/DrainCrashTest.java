package io.storagecontroller.drain;

import static org.assertj.core.api.Assertions.assertThat;

import io.storagecontroller.model.TenantId;
import io.storagecontroller.testing.ApiClient;
import io.storagecontroller.testing.ControllerProcess;
import io.storagecontroller.tools.simulator.PageserverFleet;
import io.storagecontroller.tools.simulator.SimulatedPageserver;
import io.storagecontroller.tools.simulator.SimulatorOptions;
import java.net.URI;
import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import tools.jackson.databind.JsonNode;

/**
 * The controller process SIGKILLed in the middle of a drain: the embedded Temporal service loses
 * the workflow, so the next start must close the operation as failed, give the node back to Active
 * and leave every shard consistently placed, and a new drain must work.
 */
class DrainCrashTest {
  static final Duration DEADLINE = Duration.ofSeconds(120);
  static final int TENANTS = 20;

  @TempDir Path dataDir;

  @Test
  void aDrainInterruptedByAControllerCrashIsRepairedAtTheNextStart() {
    Path processLog =
        Path.of("target", "process-logs", "drain-crash-" + System.nanoTime() + ".log");
    try (ControllerProcess controller =
        new ControllerProcess(dataDir, processLog, "--heartbeat-interval", "200ms")) {
      controller.start().awaitReady(DEADLINE);
      ApiClient api = controller.api();
      try (PageserverFleet fleet =
          PageserverFleet.start(
              SimulatorOptions.defaults()
                  .withPageservers(3)
                  .withFirstNodeId(1)
                  .withAvailabilityZone(n -> "az-a")
                  // Warm-ups take a while, so the crash lands while migrations are under way.
                  .withSecondaryDownloadTime(Duration.ofSeconds(10))
                  .withController(URI.create(controller.url())))) {
        for (SimulatedPageserver ps : fleet.pageservers()) {
          ControllerProcess.await(
              DEADLINE,
              () -> "Active".equals(node(api, ps.nodeId().value()).path("availability").asString()),
              "node active");
        }
        for (int i = 0; i < TENANTS; i++) {
          String body =
              "{\"new_tenant_id\":\"%s\",\"placement_policy\":{\"Attached\":1}}"
                  .formatted(TenantId.generate());
          assertThat(api.post("/v1/tenant", body).status()).isEqualTo(201);
        }
        long drained = fleet.pageservers().get(0).nodeId().value();
        assertThat(api.put("/control/v1/node/" + drained + "/drain", "").status()).isEqualTo(202);
        long operation = api.get("/control/v1/operations?limit=1").json().get(0).get("id").asLong();
        ControllerProcess.await(
            DEADLINE, () -> api.attachedTo(drained) < TENANTS / 3 - 1, "migrations under way");

        controller.kill(DEADLINE);
        controller.start().awaitReady(DEADLINE);

        JsonNode interrupted = api.get("/control/v1/operations/" + operation).json();
        assertThat(interrupted.get("state").asString()).isEqualTo("failed");
        assertThat(interrupted.get("error").asString()).contains("interrupted");
        assertThat(node(api, drained).get("scheduling").asString()).isEqualTo("Active");
        ControllerProcess.await(
            DEADLINE,
            () -> {
              api.post("/debug/v1/reconcile_all", "");
              return api.post("/debug/v1/consistency_check", "").status() == 200;
            },
            "consistent after the restart");

        // The node is usable: the retried drain runs to the end.
        assertThat(api.post("/control/v1/operations/" + operation + "/retry", "").status())
            .isEqualTo(202);
        ControllerProcess.await(
            DEADLINE,
            () -> "PauseForRestart".equals(node(api, drained).get("scheduling").asString()),
            "retried drain done");
        assertThat(api.attachedTo(drained)).isZero();
        assertThat(fleet.safety().violations()).isEmpty();
      }
      controller.terminate(DEADLINE);
    }
  }

  private static JsonNode node(ApiClient api, long node) {
    return api.get("/control/v1/node/" + node).json();
  }
}
