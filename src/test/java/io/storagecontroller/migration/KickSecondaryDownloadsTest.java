package io.storagecontroller.migration;

import static org.assertj.core.api.Assertions.assertThat;

import io.storagecontroller.model.NodeId;
import io.storagecontroller.model.TenantId;
import io.storagecontroller.model.TenantShardId;
import io.storagecontroller.testing.ApiClient.Response;
import io.storagecontroller.testing.ControllerProcess;
import io.storagecontroller.testing.FleetTest;
import io.storagecontroller.tools.simulator.SafetyRecorder.Promotion;
import io.storagecontroller.tools.simulator.SimulatedPageserver;
import io.storagecontroller.tools.simulator.SimulatorOptions;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;
import tools.jackson.databind.JsonNode;

/**
 * {@code --kick-secondary-downloads true}: pageservers here upload a heatmap only once an hour, so
 * a new secondary has nothing to download; the migration's warm-up asks the attached pageserver for
 * a heatmap at once and the destination is warm within seconds. Without the kick the warm-up runs
 * out (30 s) and the cut-over is cold, which this test would see.
 */
class KickSecondaryDownloadsTest extends FleetTest {
  @DynamicPropertySource
  static void kick(DynamicPropertyRegistry registry) {
    registry.add("storage-controller.kick-secondary-downloads", () -> "true");
  }

  @Override
  protected SimulatorOptions fleetOptions(SimulatorOptions options) {
    return options.withHeatmapUploadPeriod(Duration.ofHours(1));
  }

  @Test
  void aMigrationToANodeWithNoHeatmapKicksAnUploadAndCutsOverWarm() {
    TenantId tenant = TenantId.generate();
    assertThat(create(tenant, 0, 0).status()).isEqualTo(201);
    TenantShardId shard = TenantShardId.unsharded(tenant);
    JsonNode described = api.get("/control/v1/tenant/" + tenant).json().get("shards").get(0);
    NodeId origin = new NodeId(described.get("node_attached").asLong());
    SimulatedPageserver destination =
        fleet.pageservers().stream().filter(p -> !p.nodeId().equals(origin)).findFirst().get();
    int promotionsBefore = fleet.safety().promotions().size();

    Response r =
        api.put(
            "/control/v1/tenant/" + shard + "/migrate",
            ("{\"node_id\":%d,\"migration_config\":{\"secondary_warmup_timeout\":\"30s\","
                    + "\"secondary_download_request_timeout\":\"200ms\"}}")
                .formatted(destination.nodeId().value()));
    assertThat(r.status()).as(r.body()).isEqualTo(200);
    ControllerProcess.await(
        DEADLINE,
        () -> {
          JsonNode now = api.get("/control/v1/tenant/" + tenant).json().get("shards").get(0);
          return now.get("node_attached").asLong() == destination.nodeId().value()
              && !latestMigration(shard).get("state").asString().equals("running");
        },
        shard + " on " + destination.nodeId());

    assertThat(latestMigration(shard).get("state").asString()).isEqualTo("succeeded");
    assertThat(fleet.pageserver(origin).requests())
        .anyMatch(q -> q.method().equals("POST") && q.uri().endsWith(shard + "/heatmap_upload"));
    List<Promotion> promotions =
        fleet.safety().promotions().subList(promotionsBefore, fleet.safety().promotions().size());
    assertThat(promotions)
        .filteredOn(p -> p.shard().equals(shard))
        .singleElement()
        .satisfies(p -> assertThat(p.warm()).as("warm at its cut-over").isTrue());
    assertConsistent();
  }

  private JsonNode latestMigration(TenantShardId shard) {
    for (JsonNode op : api.get("/control/v1/operations?limit=50").json()) {
      if (op.get("kind").asString().equals("migrate")
          && op.get("target").asString().equals(shard.toString())) {
        return op;
      }
    }
    throw new AssertionError("no migration of " + shard);
  }
}
