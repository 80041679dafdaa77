package io.storagecontroller.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import io.storagecontroller.model.TenantId;
import io.storagecontroller.model.TenantShardId;
import io.storagecontroller.testing.ApiClient.Response;
import io.storagecontroller.testing.ControllerProcess;
import io.storagecontroller.testing.FleetTest;
import io.storagecontroller.tools.simulator.SimulatedPageserver;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;

/**
 * The calls Neon's test fixtures ({@code NeonStorageController}, {@code neon_local}) make, in the
 * order a regression test makes them, each checked as the fixture checks it: create, locate, a
 * migration without prewarm whose new location the fixture asserts as soon as the call returns, a
 * split, a rolling restart of a pageserver (drain until PauseForRestart, restart until Active, fill
 * until Active), then {@code reconcile_until_idle} and {@code consistency_check}.
 */
class NeonFixtureSequenceTest extends FleetTest {

  @Test
  void theFixturesCallSequenceWorksAsTheyExpect() {
    TenantId tenant = TenantId.generate();
    assertThat(create(tenant, 2, 1).status()).isEqualTo(201);

    Response located = api.get("/debug/v1/tenant/" + tenant + "/locate");
    assertThat(located.status()).as(located.body()).isEqualTo(200);
    assertThat(located.json().get("shards")).hasSize(2);

    // Migrate shard 0 to its secondary without prewarm: attached there when the call returns.
    JsonNode zero = shards(tenant).get(0);
    TenantShardId shard = TenantShardId.parse(zero.get("tenant_shard_id").asString());
    long destination = zero.get("node_secondary").get(0).asLong();
    Response migrated =
        api.put(
            "/control/v1/tenant/" + shard + "/migrate",
            "{\"node_id\":%d,\"migration_config\":{\"prewarm\":false}}".formatted(destination));
    assertThat(migrated.status()).as(migrated.body()).isEqualTo(200);
    assertThat(shards(tenant).get(0).get("node_attached").asLong()).isEqualTo(destination);
    assertThat(fleet.pageserver(destination).location(shard)).isPresent();

    Response split =
        api.put("/control/v1/tenant/" + tenant + "/shard_split", "{\"new_shard_count\":4}");
    assertThat(split.status()).as(split.body()).isEqualTo(200);
    assertThat(split.json().get("new_shards")).hasSize(4);
    assertThat(shards(tenant)).hasSize(4);

    // Rolling restart of the node holding shard 0 now.
    long node = shards(tenant).get(0).get("node_attached").asLong();
    assertThat(api.put("/control/v1/node/" + node + "/drain", "").status()).isEqualTo(202);
    awaitScheduling(node, "PauseForRestart");
    for (JsonNode s : shards(tenant)) {
      assertThat(s.get("node_attached").asLong()).as("attached after the drain").isNotEqualTo(node);
    }
    SimulatedPageserver restarted = fleet.pageserver(node);
    restarted.restart();
    ControllerProcess.await(
        DEADLINE,
        () -> "Active".equals(node(node).path("availability").asString()),
        "node " + node + " back");
    assertThat(api.put("/control/v1/node/" + node + "/fill", "").status()).isEqualTo(202);
    awaitScheduling(node, "Active");

    reconcileUntilIdle();
    Response consistent = api.post("/debug/v1/consistency_check", "");
    assertThat(consistent.status()).as(consistent.body()).isEqualTo(200);
    assertPlacedAsIntended(tenant, 1);
  }

  private JsonNode shards(TenantId tenant) {
    return api.get("/control/v1/tenant/" + tenant).json().get("shards");
  }

  private JsonNode node(long id) {
    return api.get("/control/v1/node/" + id).json();
  }

  private void awaitScheduling(long id, String policy) {
    ControllerProcess.await(
        DEADLINE,
        () -> policy.equals(node(id).path("scheduling").asString()),
        "node " + id + " " + policy);
  }

  /** Neon's {@code reconcile_until_idle}: reconcile_all, polled, until it answers 0. */
  private void reconcileUntilIdle() {
    ControllerProcess.await(
        Duration.ofSeconds(30),
        () -> {
          Response answer = api.post("/debug/v1/reconcile_all", "");
          assertThat(answer.status()).as(answer.body()).isEqualTo(200);
          return answer.body().strip().equals("0");
        },
        "reconcile_all answering 0");
  }
}
