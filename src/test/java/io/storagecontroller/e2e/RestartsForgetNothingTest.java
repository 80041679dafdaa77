package io.storagecontroller.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import io.storagecontroller.model.NodeId;
import io.storagecontroller.model.TenantId;
import io.storagecontroller.model.TenantShardId;
import io.storagecontroller.testing.ApiClient;
import io.storagecontroller.testing.ControllerProcess;
import io.storagecontroller.testing.ProcessFleet;
import io.storagecontroller.tools.simulator.Fault;
import io.storagecontroller.tools.simulator.PageserverFleet;
import io.storagecontroller.tools.simulator.SimulatedPageserver;
import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import tools.jackson.databind.JsonNode;

/** What a controller restart must not forget: a dead node's shards, a Detached tenant. */
class RestartsForgetNothingTest {
  private static final Duration DEADLINE = Duration.ofSeconds(120);

  @TempDir Path dataDir;

  /**
   * A pageserver that dies while the controller is down is never seen to "go" offline: it is loaded
   * Offline and stays so. The control loop's level-triggered check evacuates it all the same.
   */
  @Test
  void aNodeDeadAcrossARestartIsEvacuated() {
    Path log = Path.of("target", "process-logs", "offline-restart-" + System.nanoTime() + ".log");
    try (ControllerProcess controller =
        new ControllerProcess(
            dataDir,
            log,
            "--heartbeat-interval",
            "200ms",
            "--max-offline-interval",
            "2s",
            // The evacuation of a node dead across the restart is the control loop's to start.
            "--control-loop-interval",
            "2s")) {
      controller.start().awaitReady(DEADLINE);
      ApiClient api = controller.api();
      try (PageserverFleet fleet = ProcessFleet.start(controller, 2)) {
        TenantId tenant = TenantId.generate();
        String body =
            "{\"new_tenant_id\":\"%s\",\"shard_parameters\":{\"count\":2,\"stripe_size\":2048}}"
                .formatted(tenant);
        assertThat(api.post("/v1/tenant", body).status()).isEqualTo(201);
        long victim = shards(api, tenant).get(0).get("node_attached").asLong();

        controller.terminate(DEADLINE);
        fleet.pageserver(victim).crash();
        controller.start().awaitReady(DEADLINE);

        ControllerProcess.await(
            DEADLINE,
            () -> {
              for (JsonNode shard : shards(api, tenant)) {
                long attached = shard.get("node_attached").asLong();
                if (attached == victim
                    || fleet.pageserver(attached).location(shardId(shard)).isEmpty()) {
                  return false;
                }
              }
              return true;
            },
            "shards of node " + victim + " attached elsewhere");
        assertThat(ProcessFleet.availability(api, NodeId.of(victim))).isEqualTo("Offline");
        assertThat(fleet.safety().violations()).isEmpty();
      }
      controller.terminate(DEADLINE);
    }
  }

  /** A tenant left Detached is described, re-attached and deleted after a restart. */
  @Test
  void aDetachedTenantIsStillThereAfterARestart() {
    Path log = Path.of("target", "process-logs", "detached-restart-" + System.nanoTime() + ".log");
    try (ControllerProcess controller =
        new ControllerProcess(dataDir, log, "--heartbeat-interval", "200ms")) {
      controller.start().awaitReady(DEADLINE);
      ApiClient api = controller.api();
      try (PageserverFleet fleet = ProcessFleet.start(controller, 1)) {
        SimulatedPageserver pageserver = fleet.pageservers().get(0);
        TenantId tenant = TenantId.generate();
        String body =
            "{\"new_tenant_id\":\"%s\",\"shard_parameters\":{\"count\":0,\"stripe_size\":2048}}"
                .formatted(tenant);
        assertThat(api.post("/v1/tenant", body).status()).isEqualTo(201);
        TenantShardId shard = TenantShardId.unsharded(tenant);
        ControllerProcess.await(
            DEADLINE, () -> pageserver.location(shard).isPresent(), "tenant attached");
        // Detached while its pageserver is cut off (as a delete cut short leaves it): the row
        // still names the node its generation went to when the controller restarts.
        pageserver.fault(Fault.down());
        String policy = "/control/v1/tenant/" + tenant + "/policy";
        assertThat(api.put(policy, "{\"placement\":\"Detached\"}").status()).isEqualTo(200);

        controller.terminate(DEADLINE);
        pageserver.clearFaults();
        controller.start().awaitReady(DEADLINE);

        assertThat(api.get("/control/v1/tenant/" + tenant).status()).isEqualTo(200);
        // Loaded Detached, not attached where its last generation went (the soak found that).
        assertThat(shards(api, tenant).get(0).path("node_attached").isNull()).isTrue();
        ControllerProcess.await(
            DEADLINE, () -> pageserver.location(shard).isEmpty(), "tenant detached");
        // The check is for an idle system: the detach's reconcile may still be finishing.
        ControllerProcess.await(
            DEADLINE,
            () -> api.post("/debug/v1/consistency_check", "").status() == 200,
            "memory and database agree");
        assertThat(
                api.put(
                        "/v1/tenant/" + tenant + "/location_config",
                        "{\"mode\":\"AttachedSingle\",\"generation\":5,\"secondary_conf\":null,"
                            + "\"shard_number\":0,\"shard_count\":0,\"shard_stripe_size\":2048,"
                            + "\"tenant_conf\":{}}")
                    .status())
            .isEqualTo(200);
        ControllerProcess.await(
            DEADLINE, () -> pageserver.location(shard).isPresent(), "tenant attached again");
        assertThat(api.delete("/v1/tenant/" + tenant).status()).isBetween(200, 299);
        assertThat(fleet.safety().violations()).isEmpty();
      }
      controller.terminate(DEADLINE);
    }
  }

  private static JsonNode shards(ApiClient api, TenantId tenant) {
    return api.get("/control/v1/tenant/" + tenant).json().get("shards");
  }

  private static TenantShardId shardId(JsonNode shard) {
    return TenantShardId.parse(shard.get("tenant_shard_id").asString());
  }
}
