package io.storagecontroller.pageserver;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.prometheus.metrics.model.registry.PrometheusRegistry;
import io.prometheus.metrics.model.snapshots.HistogramSnapshot;
import io.prometheus.metrics.model.snapshots.MetricSnapshot;
import io.storagecontroller.model.LocationConfigMode;
import io.storagecontroller.model.Lsn;
import io.storagecontroller.model.NodeId;
import io.storagecontroller.model.ShardCount;
import io.storagecontroller.model.ShardNumber;
import io.storagecontroller.model.TenantId;
import io.storagecontroller.model.TenantShardId;
import io.storagecontroller.model.TimelineId;
import io.storagecontroller.testing.ControllerProcess;
import io.storagecontroller.tools.simulator.Fault;
import io.storagecontroller.tools.simulator.PageserverFleet;
import io.storagecontroller.tools.simulator.RecordedRequest;
import io.storagecontroller.tools.simulator.SimulatedPageserver;
import io.storagecontroller.tools.simulator.SimulatorOptions;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ObjectNode;

/** The controller's pageserver client against simulated pageservers over real HTTP. */
class PageserverClientTest {
  static final String TOKEN = "test-pageserver-token";
  static PageserverFleet fleet;
  static final PageserverHttp HTTP = PageserverHttp.withDefaultTls();
  static final PageserverRequestMetrics METRICS = PageserverRequestMetrics.unregistered();

  @BeforeAll
  static void start() {
    fleet =
        PageserverFleet.start(
            SimulatorOptions.defaults().withPageservers(2).withRequiredToken(TOKEN));
  }

  @AfterAll
  static void stop() {
    fleet.close();
  }

  static PageserverClient client(SimulatedPageserver ps) {
    return new PageserverClient(ps.nodeId(), ps.baseUrl().toString(), TOKEN, HTTP, METRICS);
  }

  static TenantShardId shard() {
    return new TenantShardId(TenantId.generate(), ShardNumber.of(0), ShardCount.of(1));
  }

  static LocationConfig attached(TenantShardId id, long generation) {
    return new LocationConfig(
        LocationConfigMode.ATTACHED_SINGLE,
        generation,
        null,
        id.shardNumber().value(),
        id.shardCount().literal(),
        2048,
        PageserverJson.mapper().createObjectNode());
  }

  static LocationConfig secondary(TenantShardId id) {
    return new LocationConfig(
        LocationConfigMode.SECONDARY,
        null,
        new LocationConfig.SecondaryConfig(true),
        id.shardNumber().value(),
        id.shardCount().literal(),
        2048,
        PageserverJson.mapper().createObjectNode());
  }

  @Test
  void attachListAndReadLocations() {
    SimulatedPageserver ps = fleet.pageservers().get(0);
    PageserverClient client = client(ps);
    TenantShardId id = shard();
    client.locationConfig(id, attached(id, 3), true, null);
    TenantShardId other = shard();
    client.locationConfig(other, secondary(other), true, null);
    // Read as it streams: each config whole, secondaries and attachments alike.
    assertThat(client.listLocations())
        .containsEntry(id, client.getLocation(id).orElseThrow())
        .containsEntry(other, client.getLocation(other).orElseThrow());
    assertThat(client.getLocation(id))
        .hasValueSatisfying(c -> assertThat(c.generation()).isEqualTo(3L));
    assertThat(client.getLocation(shard())).isEmpty();
    // Only this client's calls: the shared controller contexts of other test classes in this JVM
    // keep heartbeating the nodes of their closed fleets, and one may have had this port.
    List<RecordedRequest> mine =
        ps.requests().stream().filter(r -> r.uri().contains("location_config")).toList();
    assertThat(mine).isNotEmpty();
    assertThat(mine).allMatch(r -> ("Bearer " + TOKEN).equals(r.authorization()));
    assertThat(mine.get(mine.size() - 1).uri()).doesNotContain("lazy");
  }

  @Test
  void lazyAndFlushAreSentAsQueryParameters() {
    SimulatedPageserver ps = fleet.pageservers().get(0);
    TenantShardId id = shard();
    client(ps).locationConfig(id, attached(id, 1), true, Duration.ofSeconds(10));
    String uri =
        ps.requests().stream()
            .filter(r -> r.uri().contains(id.toString()))
            .reduce((a, b) -> b)
            .orElseThrow()
            .uri();
    assertThat(uri).contains("lazy=true").contains("flush_ms=10000");
  }

  @Test
  void staleGenerationIsRefusedAndNotRetried() {
    PageserverClient client = client(fleet.pageservers().get(0));
    TenantShardId id = shard();
    client.locationConfig(id, attached(id, 5), false, null);
    assertThatThrownBy(() -> client.locationConfig(id, attached(id, 4), false, null))
        .isInstanceOfSatisfying(
            PageserverException.class,
            e -> {
              assertThat(e.status()).isEqualTo(409);
              assertThat(e.retryable()).isFalse();
            });
  }

  @Test
  void timelinesCreateListDetailDelete() {
    PageserverClient client = client(fleet.pageservers().get(1));
    TenantShardId id = shard();
    client.locationConfig(id, attached(id, 1), false, null);
    TimelineId timeline = TimelineId.generate();
    ObjectNode create =
        PageserverJson.mapper().createObjectNode().put("new_timeline_id", timeline.toString());
    create.put("pg_version", 16);
    JsonNode info = client.timelineCreate(id, create);
    assertThat(info.get("timeline_id").asString()).isEqualTo(timeline.toString());
    assertThat(client.timelineList(id)).extracting(TimelineInfo::timelineId).contains(timeline);
    TimelineInfo first = client.timelineDetail(id, timeline);
    ControllerProcess.await(
        Duration.ofSeconds(10),
        () ->
            client.timelineDetail(id, timeline).lastRecordLsn().compareTo(first.lastRecordLsn())
                > 0,
        "LSN advances");
    assertThat(client.waitLsn(id, Map.of(timeline, first.lastRecordLsn()), Duration.ofSeconds(2)))
        .isTrue();
    assertThat(client.timelineDelete(id, timeline))
        .isIn(DeletionProgress.ACCEPTED, DeletionProgress.DONE);
    ControllerProcess.await(
        Duration.ofSeconds(10),
        () -> client.timelineDelete(id, timeline) == DeletionProgress.DONE,
        "timeline deleted");
    assertThatThrownBy(() -> client.timelineDetail(id, timeline))
        .isInstanceOfSatisfying(
            PageserverException.class, e -> assertThat(e.isNotFound()).isTrue());
  }

  /**
   * The {@code path} label is the name Neon's client gives the call: the timeline GET is {@code
   * timeline_detail}, block and unblock share {@code timeline_block_unblock_gc}, the lease is
   * {@code timeline_lease_lsn}, the heatmap download {@code download_heatmap_layers}; a relayed GET
   * is not a client call and has its own metrics.
   */
  @Test
  void requestsAreLabelledWithNeonsCallNames() {
    PrometheusRegistry registry = new PrometheusRegistry();
    SimulatedPageserver ps = fleet.pageservers().get(1);
    PageserverClient client =
        new PageserverClient(
            ps.nodeId(),
            ps.baseUrl().toString(),
            TOKEN,
            HTTP,
            PageserverRequestMetrics.register(registry));
    TenantShardId id = shard();
    client.locationConfig(id, attached(id, 1), false, null);
    TimelineId timeline = TimelineId.generate();
    ObjectNode create =
        PageserverJson.mapper().createObjectNode().put("new_timeline_id", timeline.toString());
    create.put("pg_version", 16);
    client.timelineCreate(id, create);
    Lsn lsn = client.timelineDetail(id, timeline).lastRecordLsn();
    client.timelineAction("POST", id, timeline, "block_gc", "", null);
    client.timelineAction("POST", id, timeline, "unblock_gc", "", null);
    ObjectNode lease = PageserverJson.mapper().createObjectNode().put("lsn", lsn.toString());
    client.timelineAction("POST", id, timeline, "lsn_lease", "", lease);
    client.timelineAction("POST", id, timeline, "download_heatmap_layers", "", null);
    assertThat(client.passthroughGet("/v1/tenant/" + id + "/timeline").status()).isEqualTo(200);

    List<String> calls = new ArrayList<>();
    for (MetricSnapshot m : registry.scrape()) {
      if (m.getMetadata().getName().equals("storage_controller_pageserver_request_latency")) {
        for (var point : ((HistogramSnapshot) m).getDataPoints()) {
          calls.add(point.getLabels().get("method") + " " + point.getLabels().get("path"));
        }
      }
    }
    assertThat(calls)
        .containsExactlyInAnyOrder(
            "put location_config",
            "post timeline",
            "get timeline_detail",
            "post timeline_block_unblock_gc",
            "post timeline_lease_lsn",
            "post download_heatmap_layers");
  }

  @Test
  void topTenantsOrdersAndFiltersByTheLogicalSizesTheFleetHolds() {
    SimulatedPageserver ps = fleet.pageservers().get(0);
    PageserverClient client = client(ps);
    TenantShardId unsharded = shard();
    TenantId sharded = TenantId.generate();
    TenantShardId zero = new TenantShardId(sharded, ShardNumber.of(0), ShardCount.of(2));
    TenantShardId one = new TenantShardId(sharded, ShardNumber.of(1), ShardCount.of(2));
    for (TenantShardId id : List.of(unsharded, zero, one)) {
      client.locationConfig(id, attached(id, 1), false, null);
    }
    fleet.remoteStorage().setLogicalSize(unsharded.tenantId(), 300);
    fleet.remoteStorage().setLogicalSize(sharded, 1000);

    // Only shard zero reports the tenant's size; other tests' shards here are size 0.
    assertThat(ids(client, TopTenantShards.OrderBy.MAX_LOGICAL_SIZE, 10, null, 0L))
        .containsExactly(zero, unsharded);
    assertThat(ids(client, TopTenantShards.OrderBy.MAX_LOGICAL_SIZE, 1, null, 0L))
        .containsExactly(zero);
    assertThat(ids(client, TopTenantShards.OrderBy.MAX_LOGICAL_SIZE, 10, 2, 0L))
        .containsExactly(unsharded);
    assertThat(ids(client, TopTenantShards.OrderBy.MAX_LOGICAL_SIZE_PER_SHARD, 10, null, 400L))
        .containsExactly(zero);
    TopTenantShards.Shard top =
        client
            .topTenants(
                new TopTenantShards.Request(
                    TopTenantShards.OrderBy.MAX_LOGICAL_SIZE_PER_SHARD, 1, null, 400L))
            .shards()
            .get(0);
    assertThat(top.maxLogicalSize()).isEqualTo(1000);
    assertThat(top.maxLogicalSizePerShard()).isEqualTo(500);
  }

  private static List<TenantShardId> ids(
      PageserverClient client,
      TopTenantShards.OrderBy order,
      int limit,
      Integer shardsBelow,
      Long above) {
    return client
        .topTenants(new TopTenantShards.Request(order, limit, shardsBelow, above))
        .shards()
        .stream()
        .map(TopTenantShards.Shard::id)
        .toList();
  }

  @Test
  void shardSplitCreatesChildren() {
    PageserverClient client = client(fleet.pageservers().get(0));
    TenantShardId parent = TenantShardId.unsharded(TenantId.generate());
    client.locationConfig(
        parent,
        new LocationConfig(
            LocationConfigMode.ATTACHED_SINGLE,
            1L,
            null,
            0,
            0,
            2048,
            PageserverJson.mapper().createObjectNode()),
        false,
        null);
    TenantShardSplitResponse split =
        client.shardSplit(parent, new TenantShardSplitRequest(4, 2048L), null);
    assertThat(split.newShards()).hasSize(4);
    assertThat(client.listLocations())
        .containsKeys(split.newShards().toArray(TenantShardId[]::new));
  }

  @Test
  void secondaryDownloadHeatmapTenantAndTimeTravel() {
    PageserverClient primary = client(fleet.pageservers().get(0));
    PageserverClient other = client(fleet.pageservers().get(1));
    TenantShardId id = shard();
    primary.locationConfig(id, attached(id, 1), false, null);
    primary.heatmapUpload(id);
    other.locationConfig(id, secondary(id), false, null);
    ControllerProcess.await(
        Duration.ofSeconds(10),
        () -> other.secondaryDownload(id, Duration.ofMillis(100)).done(),
        "secondary download complete");
    assertThat(other.secondaryStatus(id).complete()).isTrue();
    assertThat(primary.tenantInfo(id).has("id")).isTrue();
    primary.timeTravel(id, "2024-01-01T00:00:00Z", "2024-01-01T00:00:01Z");
    assertThat(primary.utilization().shardCount()).isPositive();
    assertThat(primary.status().get("id").asLong())
        .isEqualTo(fleet.pageservers().get(0).nodeId().value());
    primary.locationConfig(
        id,
        new LocationConfig(
            LocationConfigMode.DETACHED,
            null,
            null,
            0,
            1,
            2048,
            PageserverJson.mapper().createObjectNode()),
        false,
        null);
    ControllerProcess.await(
        Duration.ofSeconds(10),
        () -> primary.tenantDelete(id) == DeletionProgress.DONE,
        "tenant deleted");
  }

  @Test
  void unknownShardIsANonRetryable404() {
    PageserverClient client = client(fleet.pageservers().get(0));
    assertThatThrownBy(() -> client.timelineList(shard()))
        .isInstanceOfSatisfying(
            PageserverException.class,
            e -> {
              assertThat(e.status()).isEqualTo(404);
              assertThat(e.retryable()).isFalse();
            });
  }

  @Test
  void wrongTokenIsRefused() {
    SimulatedPageserver ps = fleet.pageservers().get(0);
    PageserverClient client =
        new PageserverClient(ps.nodeId(), ps.baseUrl().toString(), "wrong", HTTP, METRICS);
    assertThatThrownBy(client::utilization)
        .isInstanceOfSatisfying(
            PageserverException.class, e -> assertThat(e.status()).isEqualTo(401));
  }

  @Test
  void faultsAreSeenAsTheRightFailureClass() {
    SimulatedPageserver ps = fleet.pageservers().get(1);
    PageserverClient client = client(ps);
    try {
      ps.fault(Fault.down());
      assertThatThrownBy(client::utilization)
          .isInstanceOfSatisfying(
              PageserverException.class,
              e -> {
                assertThat(e.status()).isZero();
                assertThat(e.retryable()).isTrue();
              });
      ps.clearFaults();

      ps.fault(Fault.failing(1.0));
      int before = ps.requests().size();
      assertThatThrownBy(client::utilization)
          .isInstanceOfSatisfying(
              PageserverException.class,
              e -> {
                assertThat(e.status()).isEqualTo(503);
                assertThat(e.retryable()).isTrue();
              });
      // Retried as many times as the call allows.
      assertThat(ps.requests().size() - before).isEqualTo(PageserverCall.UTILIZATION.attempts());
      ps.clearFaults();

      ps.fault(Fault.hanging());
      assertThatThrownBy(client::utilization)
          .isInstanceOfSatisfying(
              PageserverException.class,
              e -> {
                assertThat(e.status()).isZero();
                assertThat(e.retryable()).isTrue();
                assertThat(e.getMessage()).contains("SocketTimeoutException");
              });
      ps.clearFaults();

      ps.fault(Fault.slow(Duration.ofMillis(300)));
      assertThat(client.utilization()).isNotNull();
    } finally {
      ps.clearFaults();
    }
  }

  @Test
  void crashForgetsLocations() {
    SimulatedPageserver ps = fleet.pageservers().get(1);
    PageserverClient client = client(ps);
    TenantShardId id = shard();
    client.locationConfig(id, attached(id, 1), false, null);
    ps.restart();
    assertThat(client.getLocation(id)).isEmpty();
    List<NodeId> ids = fleet.pageservers().stream().map(SimulatedPageserver::nodeId).toList();
    assertThat(ids).contains(ps.nodeId());
  }
}
