package io.storagecontroller.tools.simulator;

import static org.assertj.core.api.Assertions.assertThat;

import io.storagecontroller.model.TenantId;
import io.storagecontroller.model.TenantShardId;
import io.storagecontroller.model.TimelineId;
import io.storagecontroller.tools.simulator.HttpCalls.Response;
import java.time.Duration;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;

/** Every pageserver endpoint over real HTTP, against a fleet without controller. */
class PageserverApiTest {
  static final String LSN = "[0-9A-F]+/[0-9A-F]+";

  static PageserverFleet fleet;
  static SimulatedPageserver pageserver;
  static HttpCalls http;

  @BeforeAll
  static void startFleet() {
    fleet =
        PageserverFleet.start(
            SimulatorOptions.defaults()
                .withPageservers(2)
                .withFirstNodeId(7)
                .withSecondaryDownloadTime(Duration.ofMillis(300)));
    pageserver = fleet.pageserver(7);
    http = new HttpCalls(pageserver.baseUrl());
  }

  @AfterAll
  static void stopFleet() {
    fleet.close();
  }

  static String attached(String mode, long generation) {
    return "{\"mode\":\""
        + mode
        + "\",\"generation\":"
        + generation
        + ",\"secondary_conf\":null,\"shard_number\":0,\"shard_count\":0,"
        + "\"shard_stripe_size\":0,\"tenant_conf\":{}}";
  }

  static String attachedShard(TenantShardId id, long generation) {
    return "{\"mode\":\"AttachedSingle\",\"generation\":"
        + generation
        + ",\"secondary_conf\":null,\"shard_number\":"
        + id.shardNumber()
        + ",\"shard_count\":"
        + id.shardCount()
        + ",\"shard_stripe_size\":2048,\"tenant_conf\":{}}";
  }

  static String secondary() {
    return "{\"mode\":\"Secondary\",\"generation\":null,\"secondary_conf\":{\"warm\":true},"
        + "\"shard_number\":0,\"shard_count\":0,\"shard_stripe_size\":0,"
        + "\"tenant_conf\":{\"heatmap_period\":\"1m\"}}";
  }

  static String detached() {
    return "{\"mode\":\"Detached\",\"tenant_conf\":{}}";
  }

  static TenantShardId newShard() {
    return TenantShardId.unsharded(TenantId.generate());
  }

  static void attach(TenantShardId id, long generation) {
    assertThat(
            http.put(path(id) + "/location_config", attached("AttachedSingle", generation))
                .status())
        .isEqualTo(200);
  }

  static String path(TenantShardId id) {
    return "/v1/tenant/" + id;
  }

  static TimelineId createTimeline(TenantShardId id) {
    TimelineId timeline = TimelineId.generate();
    Response created =
        http.post(
            path(id) + "/timeline", "{\"new_timeline_id\":\"" + timeline + "\",\"pg_version\":16}");
    assertThat(created.status()).isEqualTo(201);
    return timeline;
  }

  @Test
  void statusAnswersTheNodeId() {
    Response status = http.get("/v1/status");
    assertThat(status.status()).isEqualTo(200);
    assertThat(status.body().get("id").asLong()).isEqualTo(7);
  }

  @Test
  void utilizationCountsTheLocationsHeld() {
    long before = http.get("/v1/utilization").body().get("shard_count").asLong();
    attach(newShard(), 1);
    JsonNode utilization = http.get("/v1/utilization").body();
    assertThat(utilization.get("shard_count").asLong()).isEqualTo(before + 1);
    assertThat(utilization.get("utilization_score").isIntegralNumber()).isTrue();
    assertThat(utilization.get("disk_usage_bytes").asLong()).isPositive();
    assertThat(utilization.get("free_space_bytes").asLong()).isPositive();
    assertThat(utilization.get("max_shard_count").asLong()).isPositive();
    assertThat(utilization.get("captured_at").asString())
        .matches("\\d{4}-\\d\\d-\\d\\dT\\d\\d:\\d\\d:\\d\\d\\.\\d{3}Z");
  }

  @Test
  void attachAnswersTheShardAndIsListed() {
    TenantShardId id = newShard();
    Response put = http.put(path(id) + "/location_config?lazy=true", attached("AttachedSingle", 3));
    assertThat(put.status()).isEqualTo(200);
    assertThat(put.body().get("shards").get(0).get("shard_id").asString()).isEqualTo(id.toString());
    assertThat(put.body().get("shards").get(0).get("node_id").asLong()).isEqualTo(7);
    assertThat(put.body().get("stripe_size").isNull()).isTrue();

    JsonNode one = http.get("/v1/location_config/" + id).body();
    assertThat(one.get("mode").asString()).isEqualTo("AttachedSingle");
    assertThat(one.get("generation").asLong()).isEqualTo(3);
    assertThat(one.get("tenant_conf").isObject()).isTrue();

    JsonNode list = http.get("/v1/location_config").body().get("tenant_shards");
    assertThat(list.valueStream())
        .anySatisfy(
            pair -> {
              assertThat(pair.get(0).asString()).isEqualTo(id.toString());
              assertThat(pair.get(1).get("generation").asLong()).isEqualTo(3);
            });
    assertThat(pageserver.location(id)).isPresent();
  }

  @Test
  void unknownLocationIsNull() {
    Response one = http.get("/v1/location_config/" + newShard());
    assertThat(one.status()).isEqualTo(200);
    assertThat(one.body().isNull()).isTrue();
  }

  @Test
  void attachedModesNeedAGenerationAndUnknownFieldsAreRefused() {
    TenantShardId id = newShard();
    Response noGeneration =
        http.put(path(id) + "/location_config", "{\"mode\":\"AttachedMulti\",\"tenant_conf\":{}}");
    assertThat(noGeneration.status()).isEqualTo(400);
    assertThat(noGeneration.msg()).contains("generation");

    Response legacyTenantId =
        http.put(
            path(id) + "/location_config",
            "{\"tenant_id\":\""
                + id
                + "\",\"mode\":\"AttachedSingle\",\"generation\":1,"
                + "\"tenant_conf\":{}}");
    assertThat(legacyTenantId.status()).isEqualTo(400);
    assertThat(legacyTenantId.msg()).contains("tenant_id");

    Response noConf = http.put(path(id) + "/location_config", "{\"mode\":\"Secondary\"}");
    assertThat(noConf.status()).isEqualTo(400);
    assertThat(noConf.msg()).contains("tenant_conf");

    assertThat(http.put(path(id) + "/location_config?flush_ms=abc", detached()).status())
        .isEqualTo(400);
    assertThat(http.put("/v1/tenant/not-an-id/location_config", detached()).status())
        .isEqualTo(400);
  }

  @Test
  void everyModeCanBeHeldAndDetachedRemoves() {
    TenantShardId id = newShard();
    for (String mode : new String[] {"AttachedMulti", "AttachedStale", "AttachedSingle"}) {
      assertThat(http.put(path(id) + "/location_config", attached(mode, 2)).status())
          .isEqualTo(200);
      assertThat(http.get("/v1/location_config/" + id).body().get("mode").asString())
          .isEqualTo(mode);
    }
    Response toSecondary = http.put(path(id) + "/location_config", secondary());
    assertThat(toSecondary.status()).isEqualTo(200);
    assertThat(toSecondary.body().get("shards").isEmpty()).isTrue();
    JsonNode held = http.get("/v1/location_config/" + id).body();
    assertThat(held.get("mode").asString()).isEqualTo("Secondary");
    assertThat(held.has("generation")).isFalse();
    assertThat(held.get("secondary_conf").get("warm").asBoolean()).isTrue();

    assertThat(http.put(path(id) + "/location_config?flush_ms=10000", detached()).status())
        .isEqualTo(200);
    assertThat(http.get("/v1/location_config/" + id).body().isNull()).isTrue();
    assertThat(pageserver.location(id)).isEmpty();
  }

  @Test
  void shardedAttachAnswersTheStripeSize() {
    TenantShardId id = TenantShardId.parse(TenantId.generate() + "-0104");
    Response put = http.put(path(id) + "/location_config", attachedShard(id, 1));
    assertThat(put.body().get("stripe_size").asLong()).isEqualTo(2048);
  }

  @Test
  void splitCreatesTheChildrenWithTheParentsGenerationAndTimelines() {
    TenantId tenant = TenantId.generate();
    TenantShardId parent = TenantShardId.parse(tenant + "-0104");
    assertThat(http.put(path(parent) + "/location_config", attachedShard(parent, 5)).status())
        .isEqualTo(200);
    TimelineId timeline = createTimeline(parent);

    Response split = http.put(path(parent) + "/shard_split", "{\"new_shard_count\":8}");
    assertThat(split.status()).isEqualTo(200);
    assertThat(split.body().get("new_shards").valueStream().map(JsonNode::asString))
        .containsExactly(tenant + "-0108", tenant + "-0508");
    assertThat(http.get("/v1/location_config/" + parent).body().isNull()).isTrue();
    for (String child : new String[] {tenant + "-0108", tenant + "-0508"}) {
      JsonNode conf = http.get("/v1/location_config/" + child).body();
      assertThat(conf.get("mode").asString()).isEqualTo("AttachedSingle");
      assertThat(conf.get("generation").asLong()).isEqualTo(5);
      assertThat(conf.get("shard_count").asInt()).isEqualTo(8);
      assertThat(http.get("/v1/tenant/" + child + "/timeline/" + timeline).status()).isEqualTo(200);
    }
    // A retried split answers the same children.
    assertThat(http.put(path(parent) + "/shard_split", "{\"new_shard_count\":8}").body())
        .isEqualTo(split.body());
    assertThat(http.put(path(newShard()) + "/shard_split", "{\"new_shard_count\":2}").status())
        .isEqualTo(404);
  }

  @Test
  void splittingAnUnshardedTenantTakesTheNewStripeSize() {
    TenantShardId parent = newShard();
    attach(parent, 1);
    Response split =
        http.put(
            path(parent) + "/shard_split", "{\"new_shard_count\":2,\"new_stripe_size\":32768}");
    assertThat(split.body().get("new_shards")).hasSize(2);
    String child = split.body().get("new_shards").get(1).asString();
    assertThat(child).endsWith("-0102");
    assertThat(http.get("/v1/location_config/" + child).body().get("shard_stripe_size").asLong())
        .isEqualTo(32768);
    assertThat(http.put(path(parent) + "/shard_split", "{\"new_shard_count\":1}").status())
        .isEqualTo(400);
  }

  @Test
  void timelinesAreCreatedListedAndAdvance() {
    TenantShardId id = newShard();
    attach(id, 1);
    TimelineId timeline = TimelineId.generate();
    String create = "{\"new_timeline_id\":\"" + timeline + "\",\"pg_version\":16}";
    Response created = http.post(path(id) + "/timeline", create);
    assertThat(created.status()).isEqualTo(201);
    JsonNode info = created.body();
    assertThat(info.get("timeline_id").asString()).isEqualTo(timeline.toString());
    assertThat(info.get("tenant_id").asString()).isEqualTo(id.toString());
    assertThat(info.get("state").asString()).isEqualTo("Active");
    assertThat(info.get("pg_version").asInt()).isEqualTo(16);
    for (String lsn :
        new String[] {
          "last_record_lsn", "disk_consistent_lsn", "min_readable_lsn", "remote_consistent_lsn"
        }) {
      assertThat(info.get(lsn).asString()).matches(LSN);
    }
    assertThat(info.has("ancestor_timeline_id")).isFalse(); // no nulls: the schema forbids them

    assertThat(http.post(path(id) + "/timeline", create).status()).isEqualTo(201);
    assertThat(
            http.post(
                    path(id) + "/timeline",
                    "{\"new_timeline_id\":\"" + timeline + "\",\"pg_version\":15}")
                .status())
        .isEqualTo(409);
    assertThat(http.get(path(id) + "/timeline").body()).hasSize(1);

    long first = lsn(info.get("last_record_lsn").asString());
    Eventually.await(
        Duration.ofSeconds(5),
        () ->
            lsn(
                http.get(path(id) + "/timeline/" + timeline)
                    .body()
                    .get("last_record_lsn")
                    .asString()),
        now -> now > first);
  }

  @Test
  void branchesStartAtTheirAncestorLsn() {
    TenantShardId id = newShard();
    attach(id, 1);
    TimelineId main = createTimeline(id);
    TimelineId branch = TimelineId.generate();
    Response created =
        http.post(
            path(id) + "/timeline",
            "{\"new_timeline_id\":\""
                + branch
                + "\",\"ancestor_timeline_id\":\""
                + main
                + "\",\"ancestor_start_lsn\":\"0/16B5A50\"}");
    assertThat(created.status()).isEqualTo(201);
    assertThat(created.body().get("ancestor_timeline_id").asString()).isEqualTo(main.toString());
    assertThat(created.body().get("ancestor_lsn").asString()).isEqualTo("0/16B5A50");
    assertThat(created.body().get("pg_version").asInt()).isEqualTo(16);

    Response parentDelete = http.delete(path(id) + "/timeline/" + main);
    assertThat(parentDelete.status()).isEqualTo(412);
    Response missingAncestor =
        http.post(
            path(id) + "/timeline",
            "{\"new_timeline_id\":\""
                + TimelineId.generate()
                + "\",\"ancestor_timeline_id\":\""
                + TimelineId.generate()
                + "\"}");
    assertThat(missingAncestor.status()).isEqualTo(404);
  }

  @Test
  void timelineDeletionAnswers202ThenGoneWith404() {
    TenantShardId id = newShard();
    attach(id, 4);
    TimelineId timeline = createTimeline(id);
    assertThat(fleet.remoteStorage().timelineIds(id)).contains(timeline);

    assertThat(http.delete(path(id) + "/timeline/" + timeline).status()).isEqualTo(202);
    Eventually.await(
        Duration.ofSeconds(5),
        () -> http.delete(path(id) + "/timeline/" + timeline).status(),
        status -> status == 404);
    assertThat(http.get(path(id) + "/timeline/" + timeline).status()).isEqualTo(404);
    assertThat(fleet.remoteStorage().timelineIds(id)).doesNotContain(timeline);
    assertThat(fleet.safety().deletions())
        .anySatisfy(
            d -> {
              assertThat(d.shard()).isEqualTo(id);
              assertThat(d.executed()).isTrue();
              assertThat(d.generation().value()).isEqualTo(4);
            });
  }

  @Test
  void timelineRoutesNeedTheShardAttachedHere() {
    TenantShardId id = newShard();
    TimelineId timeline = TimelineId.generate();
    assertThat(
            http.post(path(id) + "/timeline", "{\"new_timeline_id\":\"" + timeline + "\"}")
                .status())
        .isEqualTo(404);
    assertThat(http.get(path(id) + "/timeline").status()).isEqualTo(404);
    assertThat(http.get(path(id) + "/timeline/" + timeline).status()).isEqualTo(404);
    // As a pageserver does: "Requested tenant is missing".
    assertThat(http.delete(path(id) + "/timeline/" + timeline).status()).isEqualTo(412);
    assertThat(http.put(path(id) + "/location_config", secondary()).status()).isEqualTo(200);
    assertThat(http.get(path(id) + "/timeline").status()).isEqualTo(404);
  }

  @Test
  void tenantInfoAndDeletion() {
    TenantShardId id = newShard();
    attach(id, 6);
    createTimeline(id);
    JsonNode info = http.get(path(id)).body();
    assertThat(info.get("id").asString()).isEqualTo(id.toString());
    assertThat(info.get("state").get("slug").asString()).isEqualTo("Active");
    assertThat(info.get("attachment_status").get("slug").asString()).isEqualTo("attached");
    assertThat(info.get("generation").asLong()).isEqualTo(6);

    assertThat(http.delete(path(id)).status()).isEqualTo(202);
    assertThat(pageserver.location(id)).isEmpty();
    Eventually.await(Duration.ofSeconds(5), () -> http.delete(path(id)).status(), s -> s == 404);
    assertThat(fleet.remoteStorage().timelineIds(id)).isEmpty();
    assertThat(fleet.remoteStorage().highestGeneration(id)).isEmpty();
    assertThat(http.get(path(id)).status()).isEqualTo(404);
  }

  @Test
  void secondaryDownloadTakesTimeThenCompletes() {
    TenantShardId id = newShard();
    // Cold, so the download starts with the first request rather than with the location.
    String cold = secondary().replace("\"warm\":true", "\"warm\":false");
    assertThat(http.put(path(id) + "/location_config", cold).status()).isEqualTo(200);
    JsonNode before = http.get(path(id) + "/secondary/status").body();
    assertThat(before.get("layers_downloaded").asLong()).isZero();
    assertThat(before.get("layers_total").asLong()).isPositive();
    Response early = http.post(path(id) + "/secondary/download?wait_ms=0", null);
    assertThat(early.status()).isEqualTo(202);
    assertThat(early.body().get("layers_total").asLong()).isPositive();
    assertThat(early.body().get("heatmap_mtime").asString()).endsWith("Z");

    Response done = http.post(path(id) + "/secondary/download?wait_ms=5000", null);
    assertThat(done.status()).isEqualTo(200);
    assertThat(done.body().get("layers_downloaded").asLong())
        .isEqualTo(done.body().get("layers_total").asLong());
    assertThat(done.body().get("bytes_downloaded").asLong())
        .isEqualTo(done.body().get("bytes_total").asLong());

    JsonNode status = http.get(path(id) + "/secondary/status").body();
    assertThat(status.get("layers_downloaded").asLong())
        .isEqualTo(status.get("layers_total").asLong());

    TenantShardId attachedShard = newShard();
    attach(attachedShard, 1);
    assertThat(http.post(path(attachedShard) + "/secondary/download", null).status())
        .isEqualTo(404);
    assertThat(http.get(path(newShard()) + "/secondary/status").status()).isEqualTo(404);
  }

  @Test
  void heatmapUploadNeedsAnAttachment() {
    TenantShardId id = newShard();
    attach(id, 1);
    assertThat(http.post(path(id) + "/heatmap_upload", null).status()).isEqualTo(200);
    assertThat(http.post(path(newShard()) + "/heatmap_upload", null).status()).isEqualTo(404);
  }

  @Test
  void timeTravelChecksItsTimestamps() {
    TenantShardId id = newShard();
    Response ok =
        http.put(
            path(id)
                + "/time_travel_remote_storage?travel_to=2024-03-15T10:00:00Z&done_if_after=2024-03-15T11:00:00Z",
            null);
    assertThat(ok.status()).isEqualTo(200);
    assertThat(ok.body().isString()).isTrue();
    assertThat(
            http.put(
                    path(id)
                        + "/time_travel_remote_storage?travel_to=2024-03-15T12:00:00Z&done_if_after=2024-03-15T11:00:00Z",
                    null)
                .status())
        .isEqualTo(400);
    assertThat(
            http.put(path(id) + "/time_travel_remote_storage?travel_to=yesterday", null).status())
        .isEqualTo(400);
  }

  @Test
  void waitLsnAnswers200WhenReachedAnd202OnTimeout() {
    TenantShardId id = newShard();
    attach(id, 1);
    TimelineId timeline = createTimeline(id);
    String current =
        http.get(path(id) + "/timeline/" + timeline).body().get("last_record_lsn").asString();
    Response reached =
        http.post(
            path(id) + "/wait_lsn",
            "{\"" + timeline + "\":\"" + current + "\",\"timeout\":{\"secs\":1,\"nanos\":0}}");
    assertThat(reached.status()).isEqualTo(200);
    Response future =
        http.post(
            path(id) + "/wait_lsn",
            "{\"" + timeline + "\":\"FF/0\",\"timeout\":{\"secs\":0,\"nanos\":50000000}}");
    assertThat(future.status()).isEqualTo(202);
    Response unknown =
        http.post(
            path(id) + "/wait_lsn",
            "{\"" + TimelineId.generate() + "\":\"0/1\",\"timeout\":{\"secs\":0,\"nanos\":0}}");
    assertThat(unknown.status()).isEqualTo(404);
  }

  @Test
  void errorsAreJsonMessagesAndRequestsAreRecorded() throws Exception {
    Response unknown = http.get("/v1/nowhere");
    assertThat(unknown.status()).isEqualTo(404);
    assertThat(unknown.msg()).isNotBlank();
    http.sendOrThrow("GET", "/v1/status", null, "Bearer controller-token");
    assertThat(pageserver.requests())
        .anySatisfy(
            r -> {
              assertThat(r.uri()).isEqualTo("/v1/status");
              assertThat(r.authorization()).isEqualTo("Bearer controller-token");
            });
  }

  @Test
  void aRequiredTokenIsEnforced() throws Exception {
    try (PageserverFleet guarded =
        PageserverFleet.start(
            SimulatorOptions.defaults().withPageservers(1).withRequiredToken("sekrit"))) {
      HttpCalls calls = new HttpCalls(guarded.pageservers().get(0).baseUrl());
      Response refused = calls.sendOrThrow("GET", "/v1/utilization", null, null);
      assertThat(refused.status()).isEqualTo(401);
      assertThat(refused.msg()).startsWith("Unauthorized: ");
      assertThat(calls.sendOrThrow("GET", "/v1/utilization", null, "Bearer wrong").status())
          .isEqualTo(401);
      assertThat(calls.sendOrThrow("GET", "/v1/utilization", null, "Bearer sekrit").status())
          .isEqualTo(200);
      assertThat(calls.sendOrThrow("GET", "/v1/status", null, null).status()).isEqualTo(200);
    }
  }

  static long lsn(String text) {
    return io.storagecontroller.model.Lsn.parse(text).value();
  }
}
