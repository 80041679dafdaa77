package io.storagecontroller.shard;

import static org.assertj.core.api.Assertions.assertThat;

import io.storagecontroller.model.TenantId;
import io.storagecontroller.model.TenantShardId;
import io.storagecontroller.testing.ApiClient.Response;
import io.storagecontroller.testing.FleetTest;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;

/**
 * Neon's metadata-health routes over HTTP: the scrubber's verdicts are recorded per shard, listed
 * as unhealthy or outdated, refused whole for an unknown shard, and gone with their tenant.
 */
class MetadataHealthTest extends FleetTest {
  private List<String> unhealthy() {
    List<String> ids = new ArrayList<>();
    Response r = api.get("/control/v1/metadata_health/unhealthy");
    assertThat(r.status()).as(r.body()).isEqualTo(200);
    r.json().get("unhealthy_tenant_shards").forEach(n -> ids.add(n.asString()));
    return ids;
  }

  private List<String> outdated(String age) {
    Response r =
        api.post(
            "/control/v1/metadata_health/outdated", "{\"not_scrubbed_for\":\"%s\"}".formatted(age));
    assertThat(r.status()).as(r.body()).isEqualTo(200);
    List<String> ids = new ArrayList<>();
    for (JsonNode record : r.json().get("health_records")) {
      assertThat(record.get("last_scrubbed_at").asString()).endsWith("Z");
      ids.add(record.get("tenant_shard_id").asString());
    }
    return ids;
  }

  private Response update(List<TenantShardId> healthy, List<TenantShardId> unhealthy) {
    return api.post(
        "/control/v1/metadata_health/update",
        "{\"healthy_tenant_shards\":%s,\"unhealthy_tenant_shards\":%s}"
            .formatted(json(healthy), json(unhealthy)));
  }

  private static String json(List<TenantShardId> ids) {
    return ids.stream().map(id -> "\"" + id + "\"").toList().toString();
  }

  @Test
  void scrubVerdictsAreRecordedListedAndGoneWithTheirTenant() {
    TenantId tenant = TenantId.generate();
    assertThat(create(tenant, 2, 0).status()).isEqualTo(201);
    List<TenantShardId> shards = new ArrayList<>();
    for (JsonNode s : api.get("/control/v1/tenant/" + tenant).json().get("shards")) {
      shards.add(TenantShardId.parse(s.get("tenant_shard_id").asString()));
    }
    // Made healthy with the tenant, scrubbed "now".
    assertThat(unhealthy()).doesNotContain(shards.get(0).toString(), shards.get(1).toString());
    assertThat(outdated("1h")).doesNotContain(shards.get(0).toString());

    Response r = update(List.of(shards.get(0)), List.of(shards.get(1)));
    assertThat(r.status()).as(r.body()).isEqualTo(200);
    assertThat(r.body()).isEqualTo("{}");
    assertThat(unhealthy())
        .contains(shards.get(1).toString())
        .doesNotContain(shards.get(0).toString());
    assertThat(outdated("0s")).contains(shards.get(0).toString(), shards.get(1).toString());

    // An unknown shard refuses the whole report.
    TenantShardId unknown = TenantShardId.unsharded(TenantId.generate());
    Response refused = update(List.of(unknown), List.of(shards.get(0)));
    assertThat(refused.status()).isEqualTo(404);
    assertThat(refused.msg()).contains(unknown.toString());
    assertThat(unhealthy()).doesNotContain(shards.get(0).toString());

    assertThat(api.post("/control/v1/metadata_health/outdated", "{}").status()).isEqualTo(400);
    assertThat(
            api.post("/control/v1/metadata_health/outdated", "{\"not_scrubbed_for\":\"soon\"}")
                .status())
        .isEqualTo(400);

    api.delete("/v1/tenant/" + tenant);
    assertThat(unhealthy()).doesNotContain(shards.get(1).toString());
  }
}
