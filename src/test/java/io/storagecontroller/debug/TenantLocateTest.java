package io.storagecontroller.debug;

import static org.assertj.core.api.Assertions.assertThat;

import io.storagecontroller.model.TenantId;
import io.storagecontroller.testing.ApiClient.Response;
import io.storagecontroller.testing.FleetTest;
import io.storagecontroller.tools.simulator.SimulatedPageserver;
import java.util.HashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;

/**
 * {@code GET /debug/v1/tenant/:tenant_id/locate}, which neon_local calls at every endpoint start:
 * each shard's attached pageserver with its addresses, 404 for an unknown tenant and 400 for one
 * that is not attached.
 */
class TenantLocateTest extends FleetTest {
  @Test
  void eachShardIsLocatedWhereItIsAttached() {
    TenantId tenant = TenantId.generate();
    assertThat(create(tenant, 2, 0).status()).isEqualTo(201);
    Map<String, Long> attached = new HashMap<>();
    for (JsonNode s : api.get("/control/v1/tenant/" + tenant).json().get("shards")) {
      attached.put(s.get("tenant_shard_id").asString(), s.get("node_attached").asLong());
    }

    Response located = api.get("/debug/v1/tenant/" + tenant + "/locate");

    assertThat(located.status()).as(located.body()).isEqualTo(200);
    JsonNode body = located.json();
    assertThat(body.get("shard_params").get("count").asInt()).isEqualTo(2);
    assertThat(body.get("shards")).hasSize(2);
    for (JsonNode shard : body.get("shards")) {
      long node = shard.get("node_id").asLong();
      assertThat(node).isEqualTo(attached.get(shard.get("shard_id").asString()));
      SimulatedPageserver ps = fleet.pageserver(node);
      JsonNode registered = api.get("/control/v1/node/" + node).json();
      assertThat(shard.get("listen_http_port").asInt())
          .isEqualTo(registered.get("listen_http_port").asInt())
          .isEqualTo(ps.port());
      assertThat(shard.get("listen_pg_addr").asString())
          .isEqualTo(registered.get("listen_pg_addr").asString());
      assertThat(shard.has("listen_https_port")).isTrue();
    }
    api.delete("/v1/tenant/" + tenant);
  }

  @Test
  void anUnknownTenantIs404AndADetachedOne400() {
    Response unknown = api.get("/debug/v1/tenant/" + TenantId.generate() + "/locate");
    assertThat(unknown.status()).isEqualTo(404);
    assertThat(unknown.json().get("msg").asString()).contains("not found");

    TenantId tenant = TenantId.generate();
    assertThat(create(tenant, 1, 0).status()).isEqualTo(201);
    Response policy =
        api.put("/control/v1/tenant/" + tenant + "/policy", "{\"placement\":\"Detached\"}");
    assertThat(policy.status()).as(policy.body()).isEqualTo(200);
    Response detached = api.get("/debug/v1/tenant/" + tenant + "/locate");
    assertThat(detached.status()).isEqualTo(400);
    assertThat(detached.json().get("msg").asString())
        .contains("Cannot locate a tenant that is not attached");
    api.delete("/v1/tenant/" + tenant);
  }
}
