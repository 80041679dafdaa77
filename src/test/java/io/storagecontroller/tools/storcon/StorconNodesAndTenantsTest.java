package io.storagecontroller.tools.storcon;

import static org.assertj.core.api.Assertions.assertThat;

import io.storagecontroller.model.TenantId;
import io.storagecontroller.testing.ControllerProcess;
import io.storagecontroller.testing.FleetTest;
import io.storagecontroller.testing.Ids;
import io.storagecontroller.testing.Storcon;
import io.storagecontroller.tools.simulator.SimulatedPageserver;
import java.util.List;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/** storcon's node and tenant commands against the real service and a simulated fleet. */
class StorconNodesAndTenantsTest extends FleetTest {
  static final JsonMapper JSON = JsonMapper.builder().build();

  Storcon storcon;

  @BeforeEach
  void storcon() {
    storcon = new Storcon(baseUrl());
  }

  Storcon.Run ok(String... args) {
    return storcon.ok(args);
  }

  /** The table's line that starts with this cell, split into cells. */
  static List<String> rowOf(String table, String first) {
    return table
        .lines()
        .filter(l -> l.startsWith(first + " "))
        .findFirst()
        .map(l -> List.of(l.split(" {2,}")))
        .orElseThrow(() -> new AssertionError("no row " + first + " in\n" + table));
  }

  @Test
  void nodesIsAnAlignedTableAndJsonForScripts() {
    Storcon.Run table = ok("nodes");
    List<String> lines = table.out().lines().toList();
    assertThat(lines.get(0)).startsWith("ID").contains("ADDRESS", "AZ", "SCHEDULING");
    for (SimulatedPageserver ps : fleet.pageservers()) {
      List<String> row = rowOf(table.out(), ps.nodeId().toString());
      assertThat(row).contains(zone(), "Active");
      assertThat(row.get(1)).startsWith("127.0.0.1:");
    }
    // Aligned: every column starts at the same offset on every line.
    int az = lines.get(0).indexOf("AZ");
    for (String line : lines.subList(1, lines.size())) {
      assertThat(line.substring(az - 2, az)).isBlank();
    }
    JsonNode json = JSON.readTree(ok("--json", "nodes").out());
    assertThat(json.isArray()).isTrue();
    assertThat(json.findValuesAsString("availability_zone_id")).contains(zone());
  }

  @Test
  void registerAndConfigureANode() {
    long id = Ids.nodeId();
    ok(
        "node-register",
        "--node-id",
        String.valueOf(id),
        "--listen-pg-addr",
        "127.0.0.1",
        "--listen-pg-port",
        "1",
        "--listen-http-addr",
        "127.0.0.1",
        "--listen-http-port",
        "1",
        "--availability-zone-id",
        "az-cli");
    try {
      Storcon.Run paused =
          ok("node-configure", "--node-id", String.valueOf(id), "--scheduling", "pause");
      assertThat(paused.out()).contains("node " + id + " configured", "Pause");
      assertThat(rowOf(ok("nodes").out(), String.valueOf(id))).contains("az-cli", "Pause");
      // The same id at another address: the controller's refusal, its message, exit 1.
      Storcon.Run refused =
          storcon.run(
              "node-register",
              "--node-id",
              String.valueOf(id),
              "--listen-pg-addr",
              "127.0.0.1",
              "--listen-pg-port",
              "2",
              "--listen-http-addr",
              "127.0.0.1",
              "--listen-http-port",
              "2",
              "--availability-zone-id",
              "az-cli");
      assertThat(refused.status()).isEqualTo(1);
      assertThat(refused.err()).contains("already registered", "409");
    } finally {
      api.post("/debug/v1/node/" + id + "/drop", "");
    }
  }

  @Test
  void anUnknownNodeIsTheServersMessageAndExitOne() {
    Storcon.Run run =
        storcon.run("node-configure", "--node-id", "987654321", "--scheduling", "active");
    assertThat(run.status()).isEqualTo(1);
    assertThat(run.err()).startsWith("storcon: ").contains("404");
  }

  @Test
  void tenantLifecycle() {
    TenantId tenant = TenantId.generate();
    Storcon.Run created =
        ok(
            "tenant-create",
            "--tenant-id",
            tenant.toString(),
            "--shard-count",
            "2",
            "--stripe-size",
            "2048",
            "--placement",
            "attached:1",
            "--config",
            "{\"gc_period\":\"1h\"}");
    assertThat(created.out()).contains("tenant " + tenant + " created", tenant + "-0002");

    List<String> listed = rowOf(ok("tenants").out(), tenant.toString());
    // Placement as Neon's storcon_cli prints it (Rust's Debug spelling).
    assertThat(listed).contains("2", "2048", "Attached(1)", "Active");

    Storcon.Run described = ok("tenant-describe", "--tenant-id", tenant.toString());
    assertThat(described.out())
        .contains("Policy:", "Attached(1)", "\"gc_period\":\"1h\"", tenant + "-0102");
    JsonNode json =
        JSON.readTree(ok("--json", "tenant-describe", "--tenant-id", tenant.toString()).out());
    assertThat(json.get("tenant_id").asString()).isEqualTo(tenant.toString());

    JsonNode shard = json.get("shards").get(0);
    String shardId = shard.get("tenant_shard_id").asString();
    long from = shard.get("node_attached").asLong();
    long to =
        fleet.pageservers().stream()
            .map(p -> p.nodeId().value())
            .filter(n -> n != from)
            .findFirst()
            .orElseThrow();
    Storcon.Run migrated =
        ok(
            "tenant-migrate",
            "--tenant-shard-id",
            shardId,
            "--node",
            String.valueOf(to),
            "--wait",
            "--timeout",
            "60s");
    // A live migration (prewarm, the default) is an operation, followed to its end.
    assertThat(migrated.out()).contains("migrate " + shardId + " succeeded");
    assertThat(migrated.err()).contains("migrate " + shardId + " [");
    JsonNode moved =
        JSON.readTree(ok("--json", "tenant-describe", "--tenant-id", tenant.toString()).out());
    assertThat(moved.get("shards").get(0).get("node_attached").asLong()).isEqualTo(to);
    // Without prewarm the shard is cut over directly; --wait reads the tenant until it is there.
    Storcon.Run direct =
        ok(
            "tenant-migrate",
            "--tenant-shard-id",
            shardId,
            "--node",
            String.valueOf(from),
            "--prewarm",
            "false",
            "--wait",
            "--timeout",
            "60s");
    assertThat(direct.out())
        .containsAnyOf(shardId + " attached to node " + from, "migrate " + shardId + " succeeded");
    ok(
        "tenant-migrate",
        "--tenant-shard-id",
        shardId,
        "--node",
        String.valueOf(to),
        "--wait",
        "--timeout",
        "60s");
    Storcon.Run byOption = ok("tenants", "--node-id", String.valueOf(to));
    assertThat(byOption.out()).contains(shardId);
    // Neon's spelling: the node as a positional argument, the same listing.
    Storcon.Run byArgument = ok("tenants", String.valueOf(to));
    assertThat(byArgument.out()).startsWith("SHARD").isEqualTo(byOption.out());

    ok("tenant-policy", "--tenant-id", tenant.toString(), "--scheduling", "essential");
    assertThat(rowOf(ok("tenants").out(), tenant.toString())).contains("Essential");

    assertThat(ok("reconcile-all").out()).containsPattern("\\d+ reconciles requested");
    ControllerProcess.await(
        DEADLINE, () -> storcon.run("consistency-check").status() == 0, "consistency-check passes");
    assertThat(ok("consistency-check").out()).contains("consistent");

    ok("tenant-delete", "--tenant-id", tenant.toString());
    Storcon.Run gone = storcon.run("tenant-describe", "--tenant-id", tenant.toString());
    assertThat(gone.status()).isEqualTo(1);
    assertThat(gone.err()).contains("404");
    // As Neon's: deleting a tenant that is not there (404) is a success.
    Storcon.Run again = ok("tenant-delete", "--tenant-id", tenant.toString());
    assertThat(again.out()).contains("tenant " + tenant + " not found: nothing to delete");
    assertThat(api.get("/control/v1/tenant/" + tenant).status()).isEqualTo(404);
  }
}
