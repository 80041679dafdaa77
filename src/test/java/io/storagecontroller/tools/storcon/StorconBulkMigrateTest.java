package io.storagecontroller.tools.storcon;

import static org.assertj.core.api.Assertions.assertThat;

import io.storagecontroller.model.TenantId;
import io.storagecontroller.testing.ControllerProcess;
import io.storagecontroller.testing.FleetTest;
import io.storagecontroller.testing.Storcon;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;

/**
 * Neon's {@code bulk-migrate}: the node is set Draining, then each shard attached to it is migrated
 * to another node, round robin. The nodes stay Draining, as in Neon, until the operator configures
 * them again: only a running drain, fill or deletion forbids that, not the policy itself.
 */
class StorconBulkMigrateTest extends FleetTest {
  Storcon storcon;
  TenantId tenant;
  long node;

  @BeforeEach
  void aTenantOnANode() {
    storcon = new Storcon(baseUrl());
    tenant = TenantId.generate();
    assertThat(create(tenant, 8, 1).status()).isEqualTo(201);
    node = shards().get(0).get("node_attached").asLong();
  }

  JsonNode shards() {
    return api.get("/control/v1/tenant/" + tenant).json().get("shards");
  }

  List<String> attachedTo(long id) {
    List<String> on = new ArrayList<>();
    for (JsonNode shard : shards()) {
      if (shard.path("node_attached").asLong(-1) == id) {
        on.add(shard.get("tenant_shard_id").asString());
      }
    }
    return on;
  }

  String policy(long id) {
    return api.get("/control/v1/node/" + id).json().path("scheduling").asString();
  }

  @Test
  void aDryRunPrintsThePlanAndMovesNothing() {
    Storcon.Run unknown = storcon.run("bulk-migrate", "--nodes", "987654321");
    assertThat(unknown.status()).isEqualTo(1);
    assertThat(unknown.err()).contains("requested away from node which doesn't exist");
    assertThat(policy(node)).isEqualTo("Active");

    List<String> before = attachedTo(node);
    Storcon.Run dry =
        storcon.ok("bulk-migrate", "--nodes", String.valueOf(node), "--dry-run", "true");
    // Other tenants may be attached to the node too: the plan covers at least this one's shards.
    Matcher planned = Pattern.compile("Dryrun requested. Planned (\\d+) moves:").matcher(dry.out());
    assertThat(planned.find()).as(dry.out()).isTrue();
    assertThat(Integer.parseInt(planned.group(1))).isGreaterThanOrEqualTo(before.size());
    for (String shard : before) {
      assertThat(dry.out()).containsPattern("(?m)^" + shard + ": " + node + " -> \\d+$");
    }
    assertThat(dry.out()).doesNotContainPattern("-> " + node + "$");
    assertThat(attachedTo(node)).isEqualTo(before);
    // As in Neon, the node is set Draining before the plan is made, dry run or not.
    assertThat(policy(node)).isEqualTo("Draining");
  }

  @Test
  void maxShardsBoundsThePlan() {
    assertThat(attachedTo(node)).hasSizeGreaterThan(1);
    Storcon.Run limited =
        storcon.ok(
            "bulk-migrate",
            "--nodes",
            String.valueOf(node),
            "--max-shards",
            "1",
            "--dry-run",
            "true");
    assertThat(limited.out())
        .contains("Stop planning shard moves since the requested maximum was reached")
        .contains("Planned 1 moves:");
  }

  @Test
  void theShardsMoveOffTheNode() {
    List<String> before = attachedTo(node);
    assertThat(before).isNotEmpty();
    Storcon.Run migrated =
        storcon.ok("bulk-migrate", "--nodes", String.valueOf(node), "--concurrency", "2");
    // The fleet's nodes are this test's: only this tenant's shards are on the node.
    int k = before.size();
    assertThat(migrated.out())
        .contains("Processed " + k + "/" + k + " shards: " + k + " succeeded, 0 failed");
    ControllerProcess.await(
        DEADLINE, () -> attachedTo(node).isEmpty(), "no shard attached to node " + node);
    assertThat(policy(node)).isEqualTo("Draining");
    for (JsonNode shard : shards()) {
      assertThat(shard.path("node_attached").asLong(-1)).isNotIn(-1L, node);
    }
  }

  @Test
  void severalNodesInOneRunAndTheOperatorSetsThemActiveAgain() {
    long other =
        fleet.pageservers().stream()
            .mapToLong(ps -> ps.nodeId().value())
            .filter(id -> id != node)
            .findFirst()
            .orElseThrow();
    storcon.ok(
        "bulk-migrate",
        "--nodes",
        String.valueOf(node),
        "--nodes",
        String.valueOf(other),
        "--dry-run",
        "true");
    assertThat(policy(node)).isEqualTo("Draining");
    assertThat(policy(other)).isEqualTo("Draining");

    for (long id : List.of(node, other)) {
      storcon.ok("node-configure", "--node-id", String.valueOf(id), "--scheduling", "active");
      assertThat(policy(id)).isEqualTo("Active");
    }
  }
}
