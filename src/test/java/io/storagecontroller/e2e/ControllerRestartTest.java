package io.storagecontroller.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import io.storagecontroller.model.TenantId;
import io.storagecontroller.testing.ApiClient;
import io.storagecontroller.testing.ControllerProcess;
import io.storagecontroller.testing.ProcessFleet;
import io.storagecontroller.tools.simulator.PageserverFleet;
import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The controller process restarted under 1,000 shards on three simulated pageservers: it comes back
 * with the same placements and, after a clean restart, reconciles nothing.
 */
class ControllerRestartTest {
  private static final Logger log = LoggerFactory.getLogger(ControllerRestartTest.class);
  static final Duration DEADLINE = Duration.ofSeconds(120);
  static final int TENANTS = 125;
  static final int SHARDS_PER_TENANT = 8;

  @TempDir Path dataDir;

  static long locationCalls(PageserverFleet fleet) {
    return fleet.pageservers().stream()
        .flatMap(p -> p.requests().stream())
        .filter(r -> r.method().equals("PUT") && r.uri().contains("/location_config"))
        .count();
  }

  @Test
  void cleanRestartReconcilesNothing() {
    Path processLog = Path.of("target", "process-logs", "restart-" + System.nanoTime() + ".log");
    try (ControllerProcess controller =
        new ControllerProcess(dataDir, processLog, "--heartbeat-interval", "200ms")) {
      controller.start().awaitReady(DEADLINE);
      ApiClient api = controller.api();
      try (PageserverFleet fleet = ProcessFleet.start(controller, 3)) {
        for (int i = 0; i < TENANTS; i++) {
          String body =
              "{\"new_tenant_id\":\"%s\",\"shard_parameters\":{\"count\":%d,\"stripe_size\":2048}}"
                  .formatted(TenantId.generate(), SHARDS_PER_TENANT);
          assertThat(api.post("/v1/tenant", body).status()).isEqualTo(201);
        }
        String placements = api.get("/control/v1/tenant").body();

        controller.terminate(DEADLINE);
        long callsBefore = locationCalls(fleet);
        Duration ready = controller.start().awaitReady(DEADLINE);
        log.info(
            "controller restart with {} shards: /ready after {} ms",
            TENANTS * SHARDS_PER_TENANT,
            ready.toMillis());

        assertThat(api.get("/control/v1/tenant").body()).isEqualTo(placements);
        assertThat(api.post("/debug/v1/reconcile_all", "").body()).isEqualTo("0");
        assertThat(api.metric("storage_controller_reconcile_spawn_total")).isZero();
        assertThat(locationCalls(fleet)).isEqualTo(callsBefore);
        assertThat(api.post("/debug/v1/consistency_check", "").status()).isEqualTo(200);
        assertThat(fleet.safety().violations()).isEmpty();
      }
      controller.terminate(DEADLINE);
    }
  }
}
