package io.storagecontroller.debug;

import static org.assertj.core.api.Assertions.assertThat;

import io.storagecontroller.model.TenantId;
import io.storagecontroller.model.TenantShardId;
import io.storagecontroller.testing.ApiClient.Response;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import tools.jackson.databind.JsonNode;

/**
 * The generation test API over HTTP: attach-hook issues generations in Postgres and memory, inspect
 * reads them back. The nodes have no pageserver behind them, so nothing reconciles meanwhile.
 */
class AttachHookTest extends DebugRoutesTestSupport {

  @Test
  void attachHookThenInspectRoundTrip() {
    long node = registerOfflineNode();
    TenantShardId shard = TenantShardId.unsharded(TenantId.generate());

    Response r = attachHook(shard, node);
    assertThat(r.status()).as(r.body()).isEqualTo(200);
    assertThat(r.header("Content-Type")).startsWith("application/json");
    // A shard the controller did not know starts at generation 0; the attach issues 1.
    assertThat(r.body()).isEqualTo("{\"gen\":1}");

    JsonNode attachment = inspect(shard);
    assertThat(attachment.get(0).asLong()).isEqualTo(1);
    assertThat(attachment.get(1).asLong()).isEqualTo(node);

    Map<String, Object> row = row(shard);
    assertThat(((Number) row.get("generation")).longValue()).isEqualTo(1);
    assertThat(((Number) row.get("generation_pageserver")).longValue()).isEqualTo(node);
    assertThat(((Number) row.get("intended_attached_node")).longValue()).isEqualTo(node);
    assertThat(row.get("placement_policy")).isEqualTo("{\"Attached\":0}");
    assertThat(
            api.get("/control/v1/tenant/" + shard.tenantId())
                .json()
                .at("/shards/0/node_attached")
                .asLong())
        .isEqualTo(node);
    assertConsistent();
  }

  @Test
  void attachingToAnotherNodeIssuesAStrictlyGreaterGeneration() {
    long a = registerOfflineNode();
    long b = registerOfflineNode();
    TenantShardId shard = TenantShardId.unsharded(TenantId.generate());

    long first = attach(shard, a);
    long second = attach(shard, b);
    long third = attach(shard, a);

    assertThat(second).isGreaterThan(first);
    assertThat(third).isGreaterThan(second);
    JsonNode attachment = inspect(shard);
    assertThat(attachment.get(0).asLong()).isEqualTo(third);
    assertThat(attachment.get(1).asLong()).isEqualTo(a);
    Map<String, Object> row = row(shard);
    assertThat(((Number) row.get("generation")).longValue()).isEqualTo(third);
    assertThat(((Number) row.get("generation_pageserver")).longValue()).isEqualTo(a);
    // The scheduler counts the shard on a only.
    JsonNode scheduler = api.get("/debug/v1/scheduler").json().get("nodes");
    assertThat(scheduler.at("/" + a + "/attached_shard_count").asLong()).isEqualTo(1);
    assertThat(scheduler.at("/" + b + "/attached_shard_count").asLong()).isZero();
    assertThat(scheduler.at("/" + b + "/shard_count").asLong()).isZero();
    assertConsistent();
  }

  @Test
  void generationOverrideSeedsOnlyANewShard() {
    long node = registerOfflineNode();
    TenantShardId shard = TenantShardId.unsharded(TenantId.generate());
    Response r =
        api.post(
            "/debug/v1/attach-hook",
            "{\"tenant_shard_id\":\"%s\",\"node_id\":%d,\"generation_override\":41}"
                .formatted(shard, node));
    assertThat(r.status()).as(r.body()).isEqualTo(200);
    assertThat(r.json().get("gen").asLong()).isEqualTo(42);
    // On a shard that exists the override is ignored, as in Neon: generations only go up by one.
    r =
        api.post(
            "/debug/v1/attach-hook",
            "{\"tenant_shard_id\":\"%s\",\"node_id\":%d,\"generation_override\":7}"
                .formatted(shard, node));
    assertThat(r.json().get("gen").asLong()).isEqualTo(43);
    assertConsistent();
  }

  @Test
  void nullNodeDetachesAndALaterAttachResumesTheGenerations() {
    long node = registerOfflineNode();
    TenantShardId shard = TenantShardId.unsharded(TenantId.generate());
    long first = attach(shard, node);

    Response detached = attachHook(shard, null);
    assertThat(detached.status()).as(detached.body()).isEqualTo(200);
    assertThat(detached.body()).isEqualTo("{\"gen\":null}");
    assertThat(inspect(shard).isNull()).isTrue();
    Map<String, Object> row = row(shard);
    assertThat(row.get("placement_policy")).isEqualTo("\"Detached\"");
    assertThat(row.get("generation_pageserver")).isNull();
    assertThat(row.get("intended_attached_node")).isNull();
    assertThat(((Number) row.get("generation")).longValue()).isEqualTo(first);
    JsonNode dump = dumped(shard);
    assertThat(dump.get("policy").asString()).isEqualTo("Detached");
    assertThat(dump.at("/intent/attached").isNull()).isTrue();
    assertThat(dump.get("generation_pageserver").isNull()).isTrue();
    assertConsistent();

    long again = attach(shard, node);
    assertThat(again).isGreaterThan(first);
    assertThat(row(shard).get("placement_policy")).isEqualTo("{\"Attached\":0}");
    assertConsistent();
  }

  @Test
  void detachingAnUnknownShardCreatesItDetached() {
    TenantShardId shard = TenantShardId.unsharded(TenantId.generate());
    Response r = attachHook(shard, null);
    assertThat(r.status()).as(r.body()).isEqualTo(200);
    assertThat(r.body()).isEqualTo("{\"gen\":null}");
    assertThat(row(shard).get("placement_policy")).isEqualTo("\"Detached\"");
    assertThat(inspect(shard).isNull()).isTrue();
    assertConsistent();
  }

  @Test
  void aShardedIdIsCreatedAsGivenAndDumped() {
    long node = registerOfflineNode();
    TenantShardId shard = TenantShardId.parse(TenantId.generate() + "-0104");
    long gen = attach(shard, node);

    JsonNode dump = dumped(shard);
    assertThat(dump).as("dump of %s", shard).isNotNull();
    assertThat(dump.at("/shard/number").asInt()).isEqualTo(1);
    assertThat(dump.at("/shard/count").asInt()).isEqualTo(4);
    assertThat(dump.at("/shard/stripe_size").asLong()).isEqualTo(2048);
    assertThat(dump.get("generation").asLong()).isEqualTo(gen);
    assertThat(dump.get("generation_pageserver").asLong()).isEqualTo(node);
    assertThat(dump.get("policy").toString()).isEqualTo("{\"Attached\":0}");
    assertThat(dump.get("scheduling_policy").asString()).isEqualTo("Active");
    assertThat(dump.at("/intent/attached").asLong()).isEqualTo(node);
    assertThat(dump.at("/intent/secondary").isArray()).isTrue();
    assertThat(dump.at("/intent/secondary")).isEmpty();
    // Without a config, the node is taken to hold the shard's own, attached in this generation
    // (as Neon's hook: no reconcile follows).
    JsonNode location = dump.at("/observed/locations/" + node);
    assertThat(location.get("mode").asString()).isEqualTo("AttachedSingle");
    assertThat(location.get("generation").asLong()).isEqualTo(gen);
    assertThat(dump.get("last_error").asString()).isEmpty();
    assertThat(dump.get("splitting").asString()).isEqualTo("Idle");
    assertThat(dump.get("sequence").asLong()).isPositive();
    assertThat(dump.has("config")).isFalse();

    // A tenant's shards all have one count: an unsharded shard of it is refused, and nothing is
    // written.
    Response mixed = attachHook(TenantShardId.unsharded(shard.tenantId()), node);
    assertRefused(mixed, 409, "count");
    assertThat(tenantRows(shard.tenantId())).isEqualTo(1);
    assertConsistent();
  }

  @Test
  void aConfigMakesTheAttachmentObserved() {
    long node = registerOfflineNode();
    TenantShardId shard = TenantShardId.unsharded(TenantId.generate());
    Response r =
        api.post(
            "/debug/v1/attach-hook",
            "{\"tenant_shard_id\":\"%s\",\"node_id\":%d,\"config\":{\"gc_period\":\"1h\"}}"
                .formatted(shard, node));
    assertThat(r.status()).as(r.body()).isEqualTo(200);
    long gen = r.json().get("gen").asLong();
    JsonNode location = dumped(shard).at("/observed/locations/" + node);
    assertThat(location.get("mode").asString()).isEqualTo("AttachedSingle");
    assertThat(location.get("generation").asLong()).isEqualTo(gen);
    assertConsistent();
  }

  @Test
  void inspectingAnUnknownShardAnswersNoAttachment() {
    Response r =
        api.post(
            "/debug/v1/inspect", "{\"tenant_shard_id\":\"%s\"}".formatted(TenantId.generate()));
    assertThat(r.status()).as(r.body()).isEqualTo(200);
    assertThat(r.body()).isEqualTo("{\"attachment\":null}");
  }

  @Test
  void attachingToAnUnknownNodeIs404AndWritesNothing() {
    TenantId tenant = TenantId.generate();
    Response r = attachHook(TenantShardId.unsharded(tenant), 8_999_999_999_999L);
    assertRefused(r, 404, "NotFound: Node 8999999999999 not registered");
    assertThat(tenantRows(tenant)).isZero();
  }

  @ParameterizedTest
  @CsvSource(
      delimiter = '|',
      value = {
        "''                                                          | missing request body",
        "{                                                           | Failed to parse json request",
        "{}                                                          | missing field `tenant_shard_id`",
        "{\"tenant_shard_id\":\"nothex\"}                            | invalid tenant shard id",
        "{\"tenant_shard_id\":\"TENANT-0502\"}                       | is not below the shard count",
        "{\"tenant_shard_id\":\"TENANT\",\"node_id\":\"1\"}          | node_id",
        "{\"tenant_shard_id\":\"TENANT\",\"node_id\":-1}             | must not be negative",
        "{\"tenant_shard_id\":\"TENANT\",\"generation_override\":-1} | generation_override",
        "{\"tenant_shard_id\":\"TENANT\",\"generation_override\":1.5} | generation_override",
        "{\"tenant_shard_id\":\"TENANT\",\"generation_override\":3000000000} | out of range of `int`",
        "{\"tenant_shard_id\":\"TENANT\",\"config\":5}               | config",
        "{\"tenant_shard_id\":\"TENANT\",\"config\":{\"bogus\":1}}   | unknown field `bogus` in `config`",
      })
  void malformedAttachHookIs400AndWritesNothing(String body, String msg) {
    TenantId tenant = TenantId.generate();
    assertRefused(
        api.post("/debug/v1/attach-hook", body.replace("TENANT", tenant.toString())), 400, msg);
    assertThat(tenantRows(tenant)).isZero();
  }

  @ParameterizedTest
  @CsvSource(
      delimiter = '|',
      value = {
        "''                                  | missing request body",
        "[]                                  | Failed to parse json request",
        "{}                                  | missing field `tenant_shard_id`",
        "{\"tenant_shard_id\":\"abc\"}       | invalid tenant shard id",
      })
  void malformedInspectIs400(String body, String msg) {
    assertRefused(api.post("/debug/v1/inspect", body), 400, msg);
  }
}
