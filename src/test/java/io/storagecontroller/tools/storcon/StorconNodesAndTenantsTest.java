package io.storagecontroller.tools.storcon;

import static org.assertj.core.api.Assertions.assertThat;

import io.storagecontroller.failpoint.FailpointNames;
import io.storagecontroller.model.TenantId;
import io.storagecontroller.testing.ControllerProcess;
import io.storagecontroller.testing.FleetTest;
import io.storagecontroller.testing.Ids;
import io.storagecontroller.testing.Storcon;
import io.storagecontroller.tools.simulator.SimulatedPageserver;
import java.util.Arrays;
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

  /** The cells of the table's row whose first cell is this one. */
  static List<String> rowOf(String table, String first) {
    return table
        .lines()
        .filter(l -> l.startsWith("| " + first + " "))
        .findFirst()
        .map(StorconNodesAndTenantsTest::cells)
        .orElseThrow(() -> new AssertionError("no row " + first + " in\n" + table));
  }

  /** A bordered line's cells: {@code | a | b |} is a and b. */
  static List<String> cells(String line) {
    return Arrays.stream(line.substring(1, line.length() - 1).split("\\|"))
        .map(String::strip)
        .toList();
  }

  @Test
  void nodesIsABorderedTableAndJsonForScripts() {
    Storcon.Run table = ok("nodes");
    List<String> lines = table.out().lines().toList();
    // comfy_table's default, as Neon's: a border, the header, a +===+ line, the rows.
    assertThat(lines.get(0)).matches("\\+-[-+]*-\\+");
    assertThat(cells(lines.get(1)))
        .containsExactly("Id", "Address", "AZ", "Scheduling", "Availability");
    assertThat(lines.get(2)).matches("\\+=+\\+");
    assertThat(lines).allSatisfy(l -> assertThat(l).hasSameSizeAs(lines.get(0)));
    for (SimulatedPageserver ps : fleet.pageservers()) {
      List<String> row = rowOf(table.out(), ps.nodeId().toString());
      assertThat(row).contains(zone(), "Active");
      assertThat(row.get(1)).startsWith("127.0.0.1:");
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
    // Stripe size and placement as Neon's storcon_cli prints them (Rust's Debug spelling).
    assertThat(listed.subList(2, 6))
        .containsExactly("2", "ShardStripeSize(2048)", "Attached(1)", "Active");

    Storcon.Run described = ok("tenant-describe", "--tenant-id", tenant.toString());
    assertThat(described.out()).startsWith("Tenant " + tenant + "\n");
    assertThat(rowOf(described.out(), "Policy")).containsExactly("Policy", "Attached(1)");
    // The config as serde_json pretty-prints it, a line of the cell each.
    assertThat(rowOf(described.out(), "Config")).containsExactly("Config", "{");
    assertThat(described.out()).contains("|             |   \"gc_period\": \"1h\"");
    assertThat(rowOf(described.out(), tenant + "-0102")).hasSize(6);
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
    // As Neon's: the request, then a line every 5 s until the shard is there and idle. A live
    // migration (prewarm, the default) first.
    Storcon.Run migrated =
        ok(
            "tenant-migrate",
            "--tenant-shard-id",
            shardId,
            "--node",
            String.valueOf(to),
            "--timeout",
            "60s");
    assertWaitedFor(migrated, shardId, to);
    JsonNode moved =
        JSON.readTree(ok("--json", "tenant-describe", "--tenant-id", tenant.toString()).out());
    assertThat(moved.get("shards").get(0).get("node_attached").asLong()).isEqualTo(to);
    // Without prewarm the shard is cut over directly; --wait (waiting was once asked for) is
    // still accepted, and is the default.
    Storcon.Run direct =
        ok(
            "tenant-shard-migrate",
            "--tenant-shard-id",
            shardId,
            "--node",
            String.valueOf(from),
            "--prewarm",
            "false",
            "--wait",
            "--timeout",
            "60s");
    assertWaitedFor(direct, shardId, from);
    // Ours: --no-wait returns once the controller took the request.
    Storcon.Run requested =
        ok(
            "tenant-migrate",
            "--tenant-shard-id",
            shardId,
            "--node",
            String.valueOf(to),
            "--no-wait");
    assertThat(requested.out())
        .isEqualTo("migration of " + shardId + " to node " + to + " requested\n");
    ControllerProcess.await(
        DEADLINE,
        () -> {
          JsonNode s = api.get("/control/v1/tenant/" + tenant).json().get("shards").get(0);
          return s.get("node_attached").asLong() == to && !s.get("is_reconciling").asBoolean();
        },
        shardId + " on node " + to);
    Storcon.Run both =
        storcon.run(
            "tenant-migrate", "--tenant-shard-id", shardId, "--node", "1", "--wait", "--no-wait");
    assertThat(both.status()).isEqualTo(2);
    Storcon.Run byOption = ok("tenants", "--node-id", String.valueOf(to));
    assertThat(byOption.out()).contains(shardId);
    // Neon's spelling: the node as a positional argument, the same listing.
    Storcon.Run byArgument = ok("tenants", String.valueOf(to));
    assertThat(byArgument.out()).isEqualTo(byOption.out());
    assertThat(cells(byArgument.out().lines().toList().get(1)))
        .containsExactly("Shard", "Intended Primary/Secondary", "Observed Primary/Secondary");
    assertThat(rowOf(byArgument.out(), shardId)).containsExactly(shardId, "Primary", "Primary");

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

  @Test
  void aMigrationThatFailsEndsTheWaitWithItsError() {
    TenantId tenant = TenantId.generate();
    assertThat(create(tenant, 0, 1).status()).isEqualTo(201);
    JsonNode shard = api.get("/control/v1/tenant/" + tenant).json().get("shards").get(0);
    long origin = shard.get("node_attached").asLong();
    long destination = shard.get("node_secondary").get(0).asLong();
    String point = FailpointNames.LIVE_MIGRATE_PRE_GENERATION_INC;
    api.put("/debug/v1/failpoints", "[{\"name\":\"%s\",\"actions\":\"return\"}]".formatted(point));
    try {
      // Neon's would wait for ever: the shard goes back to its origin.
      Storcon.Run failed =
          storcon.run(
              "tenant-migrate",
              "--tenant-shard-id",
              tenant.toString(),
              "--node",
              String.valueOf(destination),
              "--timeout",
              "60s");
      assertThat(failed.status()).as(failed.toString()).isEqualTo(1);
      assertThat(failed.out())
          .startsWith(
              "Waiting for tenant shard " + tenant + " to be migrated to node " + destination)
          .doesNotContain("is now on node");
      assertThat(failed.err()).contains("(migrate " + tenant + ") failed", "failpoint " + point);
    } finally {
      api.put("/debug/v1/failpoints", "[{\"name\":\"%s\",\"actions\":\"off\"}]".formatted(point));
    }
    assertThat(
            api.get("/control/v1/tenant/" + tenant)
                .json()
                .get("shards")
                .get(0)
                .get("node_attached")
                .asLong())
        .isEqualTo(origin);
  }

  /**
   * Neon's watch_tenant_shard lines: what it waits for, where the shard is at each look, and that
   * it is there.
   */
  static void assertWaitedFor(Storcon.Run run, String shardId, long node) {
    List<String> lines = run.out().lines().toList();
    assertThat(lines.get(0))
        .isEqualTo("Waiting for tenant shard " + shardId + " to be migrated to node " + node);
    assertThat(lines.subList(1, lines.size() - 1))
        .isNotEmpty()
        .allMatch(
            l -> l.matches("attached: \\d+ secondary: [\\d,]* \\(reconciler (idle|active)\\)"));
    assertThat(lines.get(lines.size() - 2)).startsWith("attached: " + node + " ").endsWith("idle)");
    assertThat(lines.get(lines.size() - 1))
        .isEqualTo("Tenant shard " + shardId + " is now on node " + node);
  }
}
