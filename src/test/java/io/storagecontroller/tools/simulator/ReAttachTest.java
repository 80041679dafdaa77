package io.storagecontroller.tools.simulator;

import static org.assertj.core.api.Assertions.assertThat;

import io.storagecontroller.model.LocationConfigMode;
import io.storagecontroller.model.TenantId;
import io.storagecontroller.model.TenantShardId;
import io.storagecontroller.model.TimelineId;
import io.storagecontroller.pageserver.LocationConfig;
import io.storagecontroller.tools.simulator.SafetyEvent.RemoteDeletion;
import java.net.URI;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;

/** Re-attach on start and restart, and validated deletions, against a fake controller. */
class ReAttachTest {
  final FakeController controller = new FakeController();
  final TenantShardId attachedShard = TenantShardId.parse(TenantId.generate() + "-0002");
  final TenantShardId secondaryShard = TenantShardId.unsharded(TenantId.generate());

  @AfterEach
  void stopController() {
    controller.close();
  }

  PageserverFleet startFleet() {
    return PageserverFleet.start(
        SimulatorOptions.defaults()
            .withPageservers(1)
            .withFirstNodeId(4)
            .withController(controller.url())
            .withUpcallDeadline(Duration.ofSeconds(5)));
  }

  String answer(long generation, boolean withSecondary) {
    return "{\"tenants\":[{\"id\":\""
        + attachedShard
        + "\",\"gen\":"
        + generation
        + ",\"mode\":\"AttachedSingle\",\"stripe_size\":2048}"
        + (withSecondary
            ? ",{\"id\":\""
                + secondaryShard
                + "\",\"gen\":null,\"mode\":\"Secondary\",\"stripe_size\":32768}"
            : "")
        + "]}";
  }

  @Test
  void startReAttachesWithItsRegistrationAndAppliesTheAnswer() {
    controller.reAttachAnswer = answer(3, true);
    try (PageserverFleet fleet = startFleet()) {
      SimulatedPageserver pageserver = fleet.pageserver(4);
      assertThat(controller.reAttaches).hasSize(1);
      JsonNode request = controller.reAttaches.get(0);
      assertThat(request.get("node_id").asLong()).isEqualTo(4);
      JsonNode register = request.get("register");
      assertThat(register.get("node_id").asLong()).isEqualTo(4);
      assertThat(register.get("listen_http_addr").asString()).isEqualTo("127.0.0.1");
      assertThat(register.get("listen_http_port").asInt()).isEqualTo(pageserver.port());
      assertThat(register.get("listen_pg_addr").asString()).isEqualTo("127.0.0.1");
      assertThat(register.get("listen_pg_port").asInt()).isBetween(1, 65535);
      assertThat(register.get("availability_zone_id").asString()).isEqualTo("az-1");

      LocationConfig attached = pageserver.location(attachedShard).orElseThrow();
      assertThat(attached.mode()).isEqualTo(LocationConfigMode.ATTACHED_SINGLE);
      assertThat(attached.generation()).isEqualTo(3);
      assertThat(attached.shardCount()).isEqualTo(2);
      assertThat(attached.shardStripeSize()).isEqualTo(2048);
      LocationConfig secondary = pageserver.location(secondaryShard).orElseThrow();
      assertThat(secondary.mode()).isEqualTo(LocationConfigMode.SECONDARY);
      assertThat(secondary.secondaryConf().warm()).isTrue();
      assertThat(fleet.remoteStorage().highestGeneration(attachedShard))
          .hasValueSatisfying(g -> assertThat(g.value()).isEqualTo(3));
    }
  }

  @Test
  void tenantRoutesAnswer503UntilReAttachIsDone() throws Exception {
    controller.reAttachAnswer = answer(3, false);
    controller.reAttachGate = new CountDownLatch(1);
    CompletableFuture<PageserverFleet> starting = CompletableFuture.supplyAsync(this::startFleet);
    try {
      JsonNode request =
          Eventually.await(
                  Duration.ofSeconds(5), () -> controller.reAttaches, list -> !list.isEmpty())
              .get(0);
      HttpCalls http =
          new HttpCalls(
              URI.create(
                  "http://127.0.0.1:" + request.get("register").get("listen_http_port").asInt()));
      HttpCalls.Response early = http.get("/v1/location_config");
      assertThat(early.status()).isEqualTo(503);
      assertThat(early.msg()).contains("re-attach");
      assertThat(http.get("/v1/status").status()).isEqualTo(200);
    } finally {
      controller.reAttachGate.countDown();
    }
    try (PageserverFleet fleet = starting.get(10, TimeUnit.SECONDS)) {
      HttpCalls http = new HttpCalls(fleet.pageserver(4).baseUrl());
      assertThat(http.get("/v1/location_config").body().get("tenant_shards")).hasSize(1);
    }
  }

  @Test
  void restartReAttachesAndDropsWhatIsNotListed() {
    controller.reAttachAnswer = answer(3, true);
    try (PageserverFleet fleet = startFleet()) {
      SimulatedPageserver pageserver = fleet.pageserver(4);
      controller.reAttachAnswer = answer(4, false);
      pageserver.restart();
      assertThat(controller.reAttaches).hasSize(2);
      assertThat(pageserver.location(attachedShard).orElseThrow().generation()).isEqualTo(4);
      assertThat(pageserver.location(secondaryShard)).isEmpty();
      assertThat(fleet.safety().violations()).isEmpty();
    }
  }

  @Test
  void aStaleGenerationCannotDeleteRemoteObjects() {
    controller.reAttachAnswer = answer(3, false);
    try (PageserverFleet fleet = startFleet()) {
      HttpCalls http = new HttpCalls(fleet.pageserver(4).baseUrl());
      TimelineId kept = TimelineId.generate();
      String timelines = "/v1/tenant/" + attachedShard + "/timeline";
      assertThat(http.post(timelines, "{\"new_timeline_id\":\"" + kept + "\"}").status())
          .isEqualTo(201);

      controller.valid = false;
      assertThat(http.delete(timelines + "/" + kept).status()).isEqualTo(202);
      Eventually.await(
          Duration.ofSeconds(5), () -> http.delete(timelines + "/" + kept).status(), s -> s == 404);
      assertThat(controller.validates).isNotEmpty();
      JsonNode asked = controller.validates.get(0).get("tenants").get(0);
      assertThat(asked.get("id").asString()).isEqualTo(attachedShard.toString());
      assertThat(asked.get("gen").asLong()).isEqualTo(3);
      assertThat(fleet.remoteStorage().timelineIds(attachedShard)).contains(kept);
      RemoteDeletion skipped = fleet.safety().deletions().get(0);
      assertThat(skipped.executed()).isFalse();
      assertThat(skipped.reason()).isEqualTo("deletion skipped: stale generation");

      controller.valid = true;
      TimelineId gone = TimelineId.generate();
      assertThat(http.post(timelines, "{\"new_timeline_id\":\"" + gone + "\"}").status())
          .isEqualTo(201);
      assertThat(http.delete(timelines + "/" + gone).status()).isEqualTo(202);
      Eventually.await(
          Duration.ofSeconds(5),
          () -> fleet.remoteStorage().timelineIds(attachedShard),
          ids -> !ids.contains(gone));
      assertThat(fleet.safety().violations()).isEmpty();
    }
  }

  @Test
  void withTheControllerDownItStartsEmptyAfterTheDeadline() {
    URI nowhere = controller.url();
    controller.close();
    long started = System.nanoTime();
    try (PageserverFleet fleet =
        PageserverFleet.start(
            SimulatorOptions.defaults()
                .withPageservers(1)
                .withController(nowhere)
                .withUpcallDeadline(Duration.ofMillis(400)))) {
      assertThat(Duration.ofNanos(System.nanoTime() - started)).isLessThan(Duration.ofSeconds(10));
      assertThat(fleet.pageserver(1).locations()).isEmpty();
      assertThat(new HttpCalls(fleet.pageserver(1).baseUrl()).get("/v1/location_config").status())
          .isEqualTo(200);
    }
  }
}
