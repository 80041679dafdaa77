package io.storagecontroller.debug;

import static org.assertj.core.api.Assertions.assertThat;

import io.storagecontroller.model.TenantShardId;
import io.storagecontroller.testing.ApiClient.Response;
import io.storagecontroller.testing.FleetTest;
import io.storagecontroller.testing.Ids;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import tools.jackson.databind.JsonNode;

/**
 * Helpers shared by the debug route tests: real HTTP to the running controller, and its database.
 */
abstract class DebugRoutesTestSupport extends FleetTest {
  private final List<String> hooked = new ArrayList<>();
  private final List<Long> registered = new ArrayList<>();

  /** Most debug route tests need no pageserver; FleetTestSupport asks for some. */
  @Override
  protected int pageserverCount() {
    return 0;
  }

  /**
   * Registers a node with nothing listening behind it: it stays Offline, so no reconcile ever calls
   * it and no tenant is ever scheduled on it.
   */
  long registerOfflineNode() {
    long id = Ids.nodeId();
    Response r = api.post("/control/v1/node", registration(id, 1));
    assertThat(r.status()).as(r.body()).isEqualTo(200);
    registered.add(id);
    return id;
  }

  /**
   * The database and the controller outlive the test: an offline node it leaves behind is evacuated
   * once some later test's fleet has room, and the tenants it attached there would turn up among
   * that test's (RollingRestartEndToEndTest counted them). Forget both, without pageserver calls.
   */
  @AfterEach
  void forgetWhatThisTestMade() {
    for (String tenant : hooked) {
      api.post("/debug/v1/tenant/" + tenant + "/drop", "");
    }
    for (long node : registered) {
      api.post("/debug/v1/node/" + node + "/drop", "");
    }
    hooked.clear();
    registered.clear();
  }

  static String registration(long id, int httpPort) {
    return """
        {"node_id":%d,"listen_pg_addr":"127.0.0.1","listen_pg_port":64000,
         "listen_http_addr":"127.0.0.1","listen_http_port":%d,"listen_https_port":null,
         "availability_zone_id":"az-debug"}"""
        .formatted(id, httpPort);
  }

  Response attachHook(Object shard, Long node) {
    hooked.add(String.valueOf(shard).split("-")[0]);
    return api.post(
        "/debug/v1/attach-hook",
        "{\"tenant_shard_id\":\"%s\",\"node_id\":%s}".formatted(shard, node));
  }

  /** Attaches and returns the generation issued. */
  long attach(Object shard, long node) {
    Response r = attachHook(shard, node);
    assertThat(r.status()).as(r.body()).isEqualTo(200);
    return r.json().get("gen").asLong();
  }

  JsonNode inspect(Object shard) {
    Response r = api.post("/debug/v1/inspect", "{\"tenant_shard_id\":\"%s\"}".formatted(shard));
    assertThat(r.status()).as(r.body()).isEqualTo(200);
    return r.json().get("attachment");
  }

  void assertRefused(Response r, int status, String msgFragment) {
    assertThat(r.status()).as(r.body()).isEqualTo(status);
    assertThat(r.header("Content-Type")).startsWith("application/json");
    assertThat(r.msg()).contains(msgFragment);
  }

  void assertNullBody(Response r) {
    assertThat(r.status()).as(r.body()).isEqualTo(200);
    assertThat(r.header("Content-Type")).startsWith("application/json");
    assertThat(r.body()).isEqualTo("null");
  }

  /** The shard's row, column by column; empty when there is none. */
  Map<String, Object> row(TenantShardId shard) {
    return jdbc
        .sql(
            "SELECT generation, generation_pageserver, placement_policy, intended_attached_node,"
                + " array_to_string(intended_secondary_nodes, ',') AS secondaries"
                + " FROM tenant_shards WHERE tenant_id = ? AND shard_number = ? AND shard_count = ?")
        .params(
            shard.tenantId().toString(), shard.shardNumber().value(), shard.shardCount().literal())
        .query()
        .listOfRows()
        .stream()
        .findFirst()
        .orElse(Map.of());
  }

  int tenantRows(Object tenant) {
    return jdbc.sql("SELECT count(*) FROM tenant_shards WHERE tenant_id = ?")
        .param(tenant.toString())
        .query(Integer.class)
        .single();
  }

  /** The element of {@code GET /debug/v1/tenant} for this shard, or null. */
  JsonNode dumped(Object shard) {
    Response r = api.get("/debug/v1/tenant");
    assertThat(r.status()).as(r.body()).isEqualTo(200);
    for (JsonNode s : r.json()) {
      if (s.get("tenant_shard_id").asString().equals(shard.toString())) {
        return s;
      }
    }
    return null;
  }
}
