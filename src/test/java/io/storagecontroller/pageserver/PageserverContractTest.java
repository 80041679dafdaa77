package io.storagecontroller.pageserver;

import static org.assertj.core.api.Assertions.assertThat;

import io.storagecontroller.model.LocationConfigMode;
import io.storagecontroller.model.ShardCount;
import io.storagecontroller.model.ShardNumber;
import io.storagecontroller.model.TenantId;
import io.storagecontroller.model.TenantShardId;
import io.storagecontroller.model.TimelineId;
import io.storagecontroller.testing.ControllerProcess;
import io.storagecontroller.testing.PageserverSpec;
import io.storagecontroller.testing.RecordingProxy;
import io.storagecontroller.tools.simulator.PageserverFleet;
import io.storagecontroller.tools.simulator.SimulatedPageserver;
import io.storagecontroller.tools.simulator.SimulatorOptions;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ObjectNode;

/**
 * Checked against the contract, not just against ourselves: every request the client sends and
 * every answer the simulator gives is validated against Neon's pageserver OpenAPI spec; endpoints
 * the spec lacks (neon-api.md section 6) are checked against the contract's JSON shapes.
 */
class PageserverContractTest {
  /** Paths the spec does not describe (neon-api.md section 6, "Not covered"). */
  static final List<Pattern> NOT_IN_SPEC =
      List.of(
          Pattern.compile("/v1/location_config(/.*)?"),
          Pattern.compile("/v1/tenant/[^/]+/shard_split"),
          Pattern.compile("/v1/tenant/[^/]+/secondary/status"),
          Pattern.compile("/v1/tenant/[^/]+/wait_lsn"));

  @Test
  void everyExchangeMatchesTheContract() {
    try (PageserverFleet fleet =
        PageserverFleet.start(SimulatorOptions.defaults().withPageservers(2))) {
      SimulatedPageserver first = fleet.pageservers().get(0);
      SimulatedPageserver second = fleet.pageservers().get(1);
      try (RecordingProxy p1 = new RecordingProxy(first.baseUrl());
          RecordingProxy p2 = new RecordingProxy(second.baseUrl())) {
        exercise(
            new PageserverClient(
                first.nodeId(),
                p1.url(),
                null,
                PageserverHttp.withDefaultTls(),
                PageserverRequestMetrics.unregistered()),
            new PageserverClient(
                second.nodeId(),
                p2.url(),
                null,
                PageserverHttp.withDefaultTls(),
                PageserverRequestMetrics.unregistered()));
        List<RecordingProxy.Exchange> all = new ArrayList<>(p1.exchanges());
        all.addAll(p2.exchanges());
        List<String> problems = new ArrayList<>();
        int checkedAgainstSpec = 0;
        for (RecordingProxy.Exchange e : all) {
          if (NOT_IN_SPEC.stream().anyMatch(p -> p.matcher(e.path()).matches())) {
            problems.addAll(checkShape(e));
            continue;
          }
          checkedAgainstSpec++;
          problems.addAll(PageserverSpec.problems(e));
        }
        assertThat(checkedAgainstSpec).isGreaterThan(10);
        assertThat(problems).isEmpty();
      }
    }
  }

  /** Drives every endpoint the controller uses. */
  static void exercise(PageserverClient a, PageserverClient b) {
    TenantShardId id = new TenantShardId(TenantId.generate(), ShardNumber.of(0), ShardCount.of(1));
    a.utilization();
    a.status();
    a.locationConfig(id, PageserverClientTest.attached(id, 1), true, null);
    a.locationConfig(id, PageserverClientTest.attached(id, 1), false, Duration.ofSeconds(1));
    a.listLocations();
    a.getLocation(id);
    a.heatmapUpload(id);
    a.tenantInfo(id);
    TimelineId timeline = TimelineId.generate();
    ObjectNode create =
        PageserverJson.mapper().createObjectNode().put("new_timeline_id", timeline.toString());
    create.put("pg_version", 16);
    a.timelineCreate(id, create);
    a.timelineList(id);
    a.timelineDetail(id, timeline);
    a.waitLsn(
        id,
        Map.of(timeline, a.timelineDetail(id, timeline).lastRecordLsn()),
        Duration.ofSeconds(1));
    a.timeTravel(id, "2024-01-01T00:00:00Z", "2024-01-01T00:00:01Z");
    b.locationConfig(id, PageserverClientTest.secondary(id), false, null);
    ControllerProcess.await(
        Duration.ofSeconds(10),
        () -> b.secondaryDownload(id, Duration.ofMillis(200)).done(),
        "download");
    b.secondaryStatus(id);
    ControllerProcess.await(
        Duration.ofSeconds(10),
        () -> a.timelineDelete(id, timeline) == DeletionProgress.DONE,
        "timeline delete");
    TenantShardId parent = TenantShardId.unsharded(TenantId.generate());
    a.locationConfig(
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
    a.shardSplit(parent, new TenantShardSplitRequest(2, 2048L), null);
    a.locationConfig(
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
        Duration.ofSeconds(10), () -> a.tenantDelete(id) == DeletionProgress.DONE, "tenant delete");
  }

  /** The JSON shapes neon-api.md gives for the endpoints the spec lacks. */
  static List<String> checkShape(RecordingProxy.Exchange e) {
    List<String> problems = new ArrayList<>();
    JsonNode body =
        e.responseBody().isEmpty() ? null : PageserverJson.mapper().readTree(e.responseBody());
    String where = e.method() + " " + e.path();
    if (e.path().equals("/v1/location_config")) {
      JsonNode list = body.path("tenant_shards");
      if (!list.isArray()) {
        problems.add(where + ": tenant_shards is not an array");
      }
      list.forEach(
          pair -> {
            if (!pair.isArray() || pair.size() != 2 || !pair.get(0).isString()) {
              problems.add(where + ": element is not [id, config]: " + pair);
            } else if (!pair.get(1).isNull() && !pair.get(1).has("mode")) {
              problems.add(where + ": config without mode: " + pair);
            }
          });
    } else if (e.path().startsWith("/v1/location_config/")) {
      if (!body.isNull() && !body.has("mode")) {
        problems.add(where + ": neither null nor a LocationConfig: " + body);
      }
    } else if (e.path().endsWith("/shard_split")) {
      if (!PageserverJson.mapper().readTree(e.requestBody()).has("new_shard_count")) {
        problems.add(where + ": request lacks new_shard_count");
      }
      if (!body.path("new_shards").isArray()) {
        problems.add(where + ": response lacks new_shards");
      }
    } else if (e.path().endsWith("/secondary/status")) {
      for (String f :
          List.of(
              "heatmap_mtime",
              "layers_downloaded",
              "layers_total",
              "bytes_downloaded",
              "bytes_total")) {
        if (!body.has(f)) {
          problems.add(where + ": SecondaryProgress lacks " + f);
        }
      }
    } else if (e.path().endsWith("/wait_lsn")) {
      JsonNode request = PageserverJson.mapper().readTree(e.requestBody());
      JsonNode timeout = request.path("timeout");
      if (!timeout.has("secs") || !timeout.has("nanos")) {
        problems.add(where + ": timeout is not a serde Duration {secs, nanos}: " + request);
      }
      if (e.status() != 200 && e.status() != 202) {
        problems.add(where + ": status " + e.status());
      }
    }
    return problems;
  }
}
