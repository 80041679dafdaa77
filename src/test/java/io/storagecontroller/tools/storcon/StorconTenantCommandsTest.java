package io.storagecontroller.tools.storcon;

import static org.assertj.core.api.Assertions.assertThat;

import io.storagecontroller.model.LocationConfigMode;
import io.storagecontroller.model.TenantId;
import io.storagecontroller.model.TenantShardId;
import io.storagecontroller.model.TimelineId;
import io.storagecontroller.pageserver.LocationConfig;
import io.storagecontroller.testing.ApiClient.Response;
import io.storagecontroller.testing.ControllerProcess;
import io.storagecontroller.testing.FleetTest;
import io.storagecontroller.testing.Storcon;
import io.storagecontroller.tools.simulator.RecordedRequest;
import io.storagecontroller.tools.simulator.SimulatedPageserver;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;

/**
 * Neon's tenant and tenant-shard commands that storcon gained for parity, each checked by what the
 * controller (or the pageservers it drives) holds afterwards.
 */
class StorconTenantCommandsTest extends FleetTest {
  Storcon storcon;
  TenantId tenant;

  @BeforeEach
  void storconAndATenant() {
    storcon = new Storcon(baseUrl());
    tenant = TenantId.generate();
  }

  JsonNode shards() {
    return api.get("/control/v1/tenant/" + tenant).json().get("shards");
  }

  JsonNode overrides() {
    return api.get("/v1/tenant/" + tenant + "/config").json().get("tenant_specific_overrides");
  }

  @Test
  void watchAShardWhileItsSecondaryMigrates() {
    assertThat(create(tenant, 0, 1).status()).isEqualTo(201);
    JsonNode shard = shards().get(0);
    long attached = shard.get("node_attached").asLong();
    long secondary = shard.get("node_secondary").get(0).asLong();
    long elsewhere =
        fleet.pageservers().stream()
            .map(p -> p.nodeId().value())
            .filter(n -> n != attached && n != secondary)
            .findFirst()
            .orElseThrow();

    Storcon.Run watched =
        storcon.ok("tenant-shard-watch", "--tenant-shard-id", tenant.toString(), "--polls", "1");
    assertThat(watched.out().strip())
        .matches(
            "attached: "
                + attached
                + " secondary: "
                + secondary
                + " \\(reconciler (idle|active)\\)");

    Storcon.Run moved =
        storcon.ok(
            "tenant-shard-migrate-secondary",
            "--tenant-shard-id",
            tenant.toString(),
            "--node",
            String.valueOf(elsewhere));
    assertThat(moved.out()).contains("secondary of " + tenant + " migrated to node " + elsewhere);
    ControllerProcess.await(
        DEADLINE,
        () -> shards().get(0).get("node_secondary").toString().equals("[" + elsewhere + "]"),
        "the secondary on node " + elsewhere);
    TenantShardId id = TenantShardId.unsharded(tenant);
    ControllerProcess.await(
        DEADLINE,
        () ->
            fleet
                .pageserver(elsewhere)
                .location(id)
                .map(l -> l.mode() == LocationConfigMode.SECONDARY)
                .orElse(false),
        "a secondary location on node " + elsewhere);
    assertThat(shards().get(0).get("node_attached").asLong()).isEqualTo(attached);
    assertThat(
            storcon
                .ok("tenant-shard-watch", "--tenant-shard-id", tenant.toString(), "--polls", "1")
                .out())
        .contains("attached: " + attached + " secondary: " + elsewhere + " ");

    Storcon.Run unknown =
        storcon.run(
            "tenant-shard-watch",
            "--tenant-shard-id",
            TenantId.generate().toString(),
            "--polls",
            "1");
    assertThat(unknown.status()).isEqualTo(1);
    assertThat(unknown.err()).contains("404");
  }

  @Test
  void cancelReconcileReachesTheControllerAndLeavesTheIntent() {
    assertThat(create(tenant, 2, 1).status()).isEqualTo(201);
    JsonNode before = shards();
    String shard = before.get(1).get("tenant_shard_id").asString();
    double served = cancelReconcilesServed();

    Storcon.Run cancelled = storcon.ok("tenant-shard-cancel-reconcile", "--tenant-shard-id", shard);
    assertThat(cancelled.out()).contains("reconcile of " + shard + " cancelled");
    // Counted as the response completes, which may be just after the CLI has read it.
    ControllerProcess.await(
        DEADLINE, () -> cancelReconcilesServed() == served + 1, "the cancel_reconcile counted");
    // Nothing to lose: the intent stays, and the next reconcile finishes whatever was cut short.
    JsonNode after = shards();
    for (int i = 0; i < 2; i++) {
      assertThat(after.get(i).get("node_attached")).isEqualTo(before.get(i).get("node_attached"));
      assertThat(after.get(i).get("node_secondary")).isEqualTo(before.get(i).get("node_secondary"));
    }
    storcon.ok("reconcile-all");
    assertConsistent();

    Storcon.Run unknown =
        storcon.run(
            "tenant-shard-cancel-reconcile", "--tenant-shard-id", TenantId.generate().toString());
    assertThat(unknown.status()).isEqualTo(1);
    assertThat(unknown.err()).contains("404");
  }

  /** How many cancel_reconcile requests the controller answered 200, from its own metrics. */
  double cancelReconcilesServed() {
    double sum = 0;
    for (String line : api.get("/metrics").body().split("\n")) {
      if (line.startsWith("storage_controller_http_request_status_total{")
          && line.contains("path=\"control_v1_tenant_cancel_reconcile\"")
          && line.contains("status=\"200\"")) {
        sum += Double.parseDouble(line.substring(line.lastIndexOf(' ') + 1));
      }
    }
    return sum;
  }

  @Test
  void setAndPatchTheTenantConfig() {
    assertThat(create(tenant, 0, 1).status()).isEqualTo(201);
    String id = tenant.toString();

    storcon.ok("set-tenant-config", "--tenant-id", id, "--config", "{\"pitr_interval\":\"2h\"}");
    // Set replaces: the gc_period the tenant was created with is gone.
    assertThat(overrides().toString()).isEqualTo("{\"pitr_interval\":\"2h\"}");

    storcon.ok("patch-tenant-config", "--tenant-id", id, "--config", "{\"gc_period\":\"1m\"}");
    assertThat(overrides().get("pitr_interval").asString()).isEqualTo("2h");
    assertThat(overrides().get("gc_period").asString()).isEqualTo("1m");
    // A null unsets a field; the others stay.
    storcon.ok("patch-tenant-config", "--tenant-id", id, "--config", "{\"pitr_interval\":null}");
    assertThat(overrides().toString()).isEqualTo("{\"gc_period\":\"1m\"}");

    Storcon.Run notJson = storcon.run("set-tenant-config", "--tenant-id", id, "--config", "{nope");
    assertThat(notJson.status()).isEqualTo(2);
    assertThat(notJson.err()).contains("--config");
    Storcon.Run unknownField =
        storcon.run("patch-tenant-config", "--tenant-id", id, "--config", "{\"no_such\":1}");
    assertThat(unknownField.status()).isEqualTo(1);
    assertThat(unknownField.err()).contains("HTTP 400", "no_such");
    assertThat(overrides().toString()).isEqualTo("{\"gc_period\":\"1m\"}");
  }

  @Test
  void timeBasedEvictionSetsTheWholeConfigAndReachesThePageserver() {
    assertThat(create(tenant, 0, 1).status()).isEqualTo(201);
    storcon.ok(
        "tenant-set-time-based-eviction",
        "--tenant-id",
        tenant.toString(),
        "--period",
        "20m",
        "--threshold",
        "1h 30m");
    JsonNode config = overrides();
    assertThat(config.toString())
        .isEqualTo(
            "{\"eviction_policy\":{\"kind\":\"LayerAccessThreshold\",\"period\":\"20m\","
                + "\"threshold\":\"1h 30m\"},\"heatmap_period\":\"5m\"}");
    long attached = shards().get(0).get("node_attached").asLong();
    TenantShardId id = TenantShardId.unsharded(tenant);
    ControllerProcess.await(
        DEADLINE,
        () ->
            fleet
                .pageserver(attached)
                .location(id)
                .map(LocationConfig::tenantConf)
                .map(
                    c ->
                        c != null
                            && c.path("eviction_policy").equals(config.get("eviction_policy")))
                .orElse(false),
        "the eviction policy on node " + attached);
  }

  @Test
  void setAndClearThePreferredAz() {
    assertThat(create(tenant, 2, 1).status()).isEqualTo(201);
    String id = tenant.toString();

    Storcon.Run cleared = storcon.ok("tenant-set-preferred-az", "--tenant-id", id);
    assertThat(cleared.err()).contains("Clearing preferred AZ for tenant " + tenant);
    for (JsonNode shard : shards()) {
      assertThat(
              shard.path("preferred_az_id").isNull()
                  || shard.path("preferred_az_id").isMissingNode())
          .as(shard.toString())
          .isTrue();
    }

    storcon.ok("tenant-set-preferred-az", "--tenant-id", id, "--preferred-az", zone());
    for (JsonNode shard : shards()) {
      assertThat(shard.path("preferred_az_id").asString()).isEqualTo(zone());
    }

    Storcon.Run unknown =
        storcon.run("tenant-set-preferred-az", "--tenant-id", id, "--preferred-az", "az-nowhere");
    assertThat(unknown.status()).isEqualTo(1);
    assertThat(unknown.err()).contains("AZ az-nowhere not found on any node", zone());
    for (JsonNode shard : shards()) {
      assertThat(shard.path("preferred_az_id").asString()).isEqualTo(zone());
    }
  }

  @Test
  void tenantDropNeedsUncleanAndLeavesThePageserversAlone() {
    // Otherwise a node's first scan, still to come, may detach what the drop leaves behind.
    awaitActivationScans();
    assertThat(create(tenant, 0, 0).status()).isEqualTo(201);
    long attached = shards().get(0).get("node_attached").asLong();

    Storcon.Run declined = storcon.run("tenant-drop", "--tenant-id", tenant.toString());
    assertThat(declined.status()).isEqualTo(1);
    assertThat(declined.err()).startsWith("storcon: ").contains("--unclean");
    assertThat(api.get("/control/v1/tenant/" + tenant).status()).isEqualTo(200);

    Storcon.Run dropped = storcon.ok("tenant-drop", "--tenant-id", tenant.toString(), "--unclean");
    assertThat(dropped.out()).contains("tenant " + tenant + " dropped");
    assertThat(api.get("/control/v1/tenant/" + tenant).status()).isEqualTo(404);
    // Unclean: the controller forgot it, the pageserver still has it.
    assertThat(fleet.pageserver(attached).location(TenantShardId.unsharded(tenant))).isPresent();
  }

  @Test
  void downloadHeatmapLayersOnEveryShardOrOne() {
    assertThat(create(tenant, 2, 1).status()).isEqualTo(201);
    TimelineId timeline = TimelineId.generate();
    Response created =
        api.post(
            "/v1/tenant/" + tenant + "/timeline",
            "{\"new_timeline_id\":\"%s\",\"pg_version\":17}".formatted(timeline));
    assertThat(created.status()).as(created.body()).isEqualTo(201);

    storcon.ok(
        "download-heatmap-layers",
        "--tenant-shard-id",
        tenant.toString(),
        "--timeline-id",
        timeline.toString(),
        "--concurrency",
        "4");
    List<RecordedRequest> calls = downloads(timeline);
    assertThat(calls.stream().map(c -> shardOf(c.uri()))).containsExactlyInAnyOrder("0002", "0102");
    assertThat(calls).allMatch(c -> c.uri().endsWith("/download_heatmap_layers?concurrency=4"));

    storcon.ok(
        "download-heatmap-layers",
        "--tenant-shard-id",
        tenant + "-0102",
        "--timeline-id",
        timeline.toString());
    List<RecordedRequest> again = downloads(timeline);
    assertThat(again).hasSize(3);
    assertThat(again.stream().filter(c -> c.uri().endsWith("/download_heatmap_layers")))
        .extracting(c -> shardOf(c.uri()))
        .containsExactly("0102");
  }

  /** The heatmap layer downloads of this timeline the fleet received. */
  List<RecordedRequest> downloads(TimelineId timeline) {
    List<RecordedRequest> calls = new ArrayList<>();
    for (SimulatedPageserver ps : fleet.pageservers()) {
      for (RecordedRequest r : ps.requests()) {
        if (r.uri().contains("/timeline/" + timeline + "/download_heatmap_layers")) {
          calls.add(r);
        }
      }
    }
    return calls;
  }

  /** {@code 0102} from {@code /v1/tenant/<tenant>-0102/timeline/...}. */
  String shardOf(String uri) {
    String path = uri.substring(uri.indexOf(tenant.toString()) + tenant.toString().length());
    return path.startsWith("-") ? path.substring(1, 5) : "";
  }
}
