package io.storagecontroller.tools.storcon;

import static io.storagecontroller.tools.storcon.StorconNodesAndTenantsTest.assertWaitedFor;
import static io.storagecontroller.tools.storcon.StorconNodesAndTenantsTest.rowOf;
import static org.assertj.core.api.Assertions.assertThat;

import io.storagecontroller.model.TenantId;
import io.storagecontroller.testing.ControllerProcess;
import io.storagecontroller.testing.FleetTest;
import io.storagecontroller.testing.Storcon;
import io.storagecontroller.tools.simulator.SimulatedPageserver;
import java.util.List;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;

/**
 * Neon's {@code test_storcon_cli} (test_runner/regress/test_storage_controller.py) on our storcon:
 * its calls in its order, on two pageservers and a tenant of 4 shards placed {@code Attached(1)},
 * with its line counts. Those counts come from comfy_table's borders (a border, a header, a +===+
 * line, rows with a line between each, a border: 2 rows + 3), so they hold only if our tables are
 * drawn as Neon's are. Where Neon's test reads a row by its index (its fleet is alone), this one
 * finds the row by its first cell: the controller is shared with the other tests of the JVM, which
 * may have left nodes and tenants, and the counts are taken from the API for the same reason (7
 * lines for nodes and 5 for tenants when this class runs alone, as in Neon's).
 */
class StorconNeonCliTest extends FleetTest {
  static final int SHARD_COUNT = 4;

  Storcon storcon;

  @Override
  protected int pageserverCount() {
    return 2;
  }

  @BeforeEach
  void storcon() {
    storcon = new Storcon(baseUrl());
  }

  /**
   * Neon's {@code storcon_cli} helper: standard output's lines, stripped, the empty ones left out.
   */
  List<String> storconCli(String... args) {
    return storcon.ok(args).out().lines().map(String::strip).filter(l -> !l.isEmpty()).toList();
  }

  String out(String... args) {
    return String.join("\n", storconCli(args)) + "\n";
  }

  JsonNode shardZero(TenantId tenant) {
    return api.get("/control/v1/tenant/" + tenant).json().get("shards").get(0);
  }

  long otherPageserver(long node) {
    List<SimulatedPageserver> two = fleet.pageservers();
    long first = two.get(0).nodeId().value();
    return node == first ? two.get(1).nodeId().value() : first;
  }

  long newestOperation() {
    JsonNode newest = api.get("/control/v1/operations?limit=1").json();
    return newest.isEmpty() ? 0 : newest.get(0).get("id").asLong();
  }

  /** Whether an evacuation of this target started after operation {@code after} has ended. */
  boolean evacuated(String target, long after) {
    for (JsonNode operation : api.get("/control/v1/operations?limit=20").json()) {
      if (operation.get("id").asLong() > after
          && operation.get("kind").asString().equals("evacuate")
          && operation.get("target").asString().equals(target)) {
        return !operation.get("state").asString().equals("running");
      }
    }
    return false;
  }

  @Test
  void neonsTestStorconCli() {
    TenantId tenant = TenantId.generate();
    assertThat(create(tenant, SHARD_COUNT, 1).status()).isEqualTo(201);
    SimulatedPageserver first = fleet.pageservers().get(0);
    String firstId = first.nodeId().toString();

    // List nodes: "Table header, footer, and one line of data" (7 lines for Neon's two nodes).
    List<String> nodeLines = storconCli("nodes");
    assertThat(nodeLines).hasSize(3 + 2 * api.get("/control/v1/node").json().size());
    assertThat(rowOf(out("nodes"), firstId).get(1)).startsWith("127.0.0.1:");

    // Pause scheduling onto a node.
    storconCli("node-configure", "--node-id", firstId, "--scheduling", "pause");
    assertThat(rowOf(out("nodes"), firstId)).contains("Pause");

    // A node death, then marking it offline; back, it is no longer Offline.
    long before = newestOperation();
    first.crash();
    storconCli("node-configure", "--node-id", firstId, "--availability", "offline");
    assertThat(rowOf(out("nodes"), firstId)).contains("Offline");
    // Not in Neon's test, which restarts at once: the evacuation that Offline starts ends first.
    // A re-attach in the middle of its batch gets the shard back AttachedSingle at generation 2 (as
    // Neon's re-attach hands out every shard whose generation went to the node) while the
    // evacuation attaches the other node at generation 3: generations keep that safe, but the
    // simulator's strict single-attachment check (stricter than Neon's) counts the overlap.
    ControllerProcess.await(
        DEADLINE, () -> evacuated("node/" + firstId, before), "node " + firstId + " evacuated");
    first.start();
    ControllerProcess.await(
        DEADLINE, () -> !rowOf(out("nodes"), firstId).contains("Offline"), "node back online");
    assertConsistent();

    // List tenants: 5 lines for Neon's one tenant.
    List<String> tenantLines = storconCli("tenants");
    assertThat(tenantLines).hasSize(3 + 2 * api.get("/control/v1/tenant").json().size());
    assertThat(rowOf(out("tenants"), tenant.toString())).isNotEmpty();

    // Describe a tenant.
    List<String> described = storconCli("tenant-describe", "--tenant-id", tenant.toString());
    assertThat(described).hasSizeGreaterThanOrEqualTo(3 + SHARD_COUNT * 2);
    assertThat(described.get(0)).contains(tenant.toString());

    // Ours, before Neon's migration: to the paused node without overriding the scheduler is
    // refused, with Neon's message.
    Storcon.Run refused =
        storcon.run(
            "tenant-shard-migrate", "--tenant-shard-id", tenant + "-0004", "--node", firstId);
    assertThat(refused.status()).as(refused.toString()).isEqualTo(1);
    assertThat(refused.err())
        .contains(
            "Migration to " + firstId + " rejected, may require `--override-scheduler", "412");

    // Migrate an attached location: "ignore scheduling (force=true) and do it immediately
    // (prewarm=false)". Ours waits as Neon's does, printing where the shard is.
    long to = otherPageserver(shardZero(tenant).get("node_attached").asLong());
    Storcon.Run migrated =
        storcon.ok(
            "tenant-shard-migrate",
            "--tenant-shard-id",
            tenant + "-0004",
            "--node",
            String.valueOf(to),
            "--prewarm=false",
            "--override-scheduler=true",
            // Ours: a bound, as Neon's test bounds every call's process (10 s).
            "--timeout",
            "60s");
    assertWaitedFor(migrated, tenant + "-0004", to);

    // Migrate a secondary location: onto the other node than the secondary's, which (two nodes)
    // is the attached one: a no-op, answered 200 as Neon's controller does.
    long attachedNow = shardZero(tenant).get("node_attached").asLong();
    storconCli(
        "tenant-shard-migrate-secondary",
        "--tenant-shard-id",
        tenant + "-0004",
        "--node",
        String.valueOf(otherPageserver(shardZero(tenant).get("node_secondary").get(0).asLong())));
    assertThat(shardZero(tenant).get("node_attached").asLong()).isEqualTo(attachedNow);

    // Pause changes on a tenant.
    storconCli("tenant-policy", "--tenant-id", tenant.toString(), "--scheduling", "stop");
    assertThat(rowOf(out("tenants"), tenant.toString())).contains("Stop");

    // Cancel ongoing reconcile on a tenant.
    storconCli("tenant-shard-cancel-reconcile", "--tenant-shard-id", tenant + "-0104");

    // Change a tenant's placement.
    storconCli("tenant-policy", "--tenant-id", tenant.toString(), "--placement", "secondary");
    assertThat(rowOf(out("tenants"), tenant.toString())).contains("Secondary");

    // Modify a tenant's config.
    storconCli(
        "patch-tenant-config",
        "--tenant-id",
        tenant.toString(),
        "--config",
        "{\"pitr_interval\": \"1m\"}");
    assertThat(out("tenant-describe", "--tenant-id", tenant.toString()))
        .contains("\"pitr_interval\": \"1m\"");

    // Quiesce, then the consistency check.
    assertConsistent();
  }
}
