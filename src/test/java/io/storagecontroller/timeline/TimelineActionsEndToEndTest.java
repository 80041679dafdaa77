package io.storagecontroller.timeline;

import static org.assertj.core.api.Assertions.assertThat;

import io.storagecontroller.model.TenantId;
import io.storagecontroller.model.TimelineId;
import io.storagecontroller.testing.ApiClient.Response;
import io.storagecontroller.testing.FleetTest;
import io.storagecontroller.tools.simulator.RecordedRequest;
import io.storagecontroller.tools.simulator.SimulatedPageserver;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The per-timeline actions the control plane sends through the controller reach every shard of a
 * four-shard tenant, shard 0 last; malformed requests are refused before any pageserver is asked.
 */
class TimelineActionsEndToEndTest extends FleetTest {
  TenantId tenant;
  TimelineId timeline;

  @BeforeEach
  void tenantWithATimeline() {
    tenant = TenantId.generate();
    assertThat(create(tenant, 4, 0).status()).isEqualTo(201);
    timeline = TimelineId.generate();
    Response created =
        api.post(
            "/v1/tenant/" + tenant + "/timeline",
            "{\"new_timeline_id\":\"%s\",\"pg_version\":17}".formatted(timeline));
    assertThat(created.status()).as(created.body()).isEqualTo(201);
  }

  String path(String action) {
    return "/v1/tenant/" + tenant + "/timeline/" + timeline + "/" + action;
  }

  @Test
  void eachActionReachesEveryShardWithShardZeroLast() {
    List<Response> answers = new ArrayList<>();
    answers.add(api.put(path("archival_config"), "{\"state\":\"Archived\"}"));
    answers.add(api.put(path("archival_config"), "{\"state\":\"Unarchived\"}"));
    answers.add(api.post(path("block_gc"), ""));
    answers.add(api.post(path("unblock_gc"), ""));
    answers.add(api.post(path("lsn_lease"), "{\"lsn\":\"0/16B5A50\"}"));
    answers.add(api.post(path("download_heatmap_layers") + "?concurrency=4&recurse=true", ""));
    for (Response answer : answers) {
      assertThat(answer.status()).as(answer.body()).isEqualTo(200);
      assertThat(answer.body()).isEqualTo("null");
    }
    Response detached = api.put(path("detach_ancestor") + "?detach_behavior=v1", "");
    assertThat(detached.status()).as(detached.body()).isEqualTo(200);
    assertThat(detached.json().path("reparented_timelines").isArray()).isTrue();

    for (String action :
        List.of(
            "archival_config",
            "block_gc",
            "unblock_gc",
            "lsn_lease",
            "download_heatmap_layers",
            "detach_ancestor")) {
      List<RecordedRequest> calls = calls(action);
      assertThat(calls.stream().map(RecordedRequest::uri).map(this::shardOf).distinct())
          .as(action)
          .containsExactlyInAnyOrder("0004", "0104", "0204", "0304");
      assertThat(shardOf(calls.get(calls.size() - 1).uri())).as(action).isEqualTo("0004");
    }
    assertThat(calls("download_heatmap_layers").get(0).uri())
        .endsWith("?concurrency=4&recurse=true");
  }

  @Test
  void markInvisibleIsProxiedToShardZeroAndOneShardMayBeNamed() {
    Response marked = api.put(path("mark_invisible"), "{}");
    assertThat(marked.status()).as(marked.body()).isEqualTo(200);
    assertThat(calls("mark_invisible")).extracting(c -> shardOf(c.uri())).containsExactly("0004");

    Response one =
        api.post(
            "/v1/tenant/" + tenant + "-0204/timeline/" + timeline + "/download_heatmap_layers", "");
    assertThat(one.status()).as(one.body()).isEqualTo(200);
    assertThat(calls("download_heatmap_layers"))
        .extracting(c -> shardOf(c.uri()))
        .containsExactly("0204");
  }

  @Test
  void malformedRequestsAreRefusedBeforeAnyPageserverIsAsked() {
    assertThat(api.put(path("archival_config"), "{\"state\":\"Frozen\"}").status()).isEqualTo(400);
    assertThat(api.put(path("archival_config"), "{}").status()).isEqualTo(400);
    assertThat(api.post(path("lsn_lease"), "{\"lsn\":\"nope\"}").status()).isEqualTo(400);
    assertThat(api.post(path("lsn_lease"), "{}").status()).isEqualTo(400);
    assertThat(api.put(path("detach_ancestor") + "?detach_behavior=sideways", "").status())
        .isEqualTo(400);
    assertThat(api.post(path("download_heatmap_layers") + "?concurrency=0", "").status())
        .isEqualTo(400);
    assertThat(api.post(path("download_heatmap_layers") + "?recurse=maybe", "").status())
        .isEqualTo(400);
    for (String action : List.of("archival_config", "lsn_lease", "detach_ancestor")) {
      assertThat(calls(action)).as(action).isEmpty();
    }
    Response unknownTimeline =
        api.post("/v1/tenant/" + tenant + "/timeline/" + TimelineId.generate() + "/block_gc", "");
    assertThat(unknownTimeline.status()).isEqualTo(404);
    Response unknownTenant =
        api.post("/v1/tenant/" + TenantId.generate() + "/timeline/" + timeline + "/block_gc", "");
    assertThat(unknownTenant.status()).isEqualTo(404);
  }

  /** The calls of this action the fleet received, in the order they arrived. */
  private List<RecordedRequest> calls(String action) {
    List<RecordedRequest> calls = new ArrayList<>();
    for (SimulatedPageserver ps : fleet.pageservers()) {
      for (RecordedRequest r : ps.requests()) {
        if (r.uri().contains("/timeline/" + timeline + "/" + action)) {
          calls.add(r);
        }
      }
    }
    calls.sort(Comparator.comparing(RecordedRequest::at));
    return calls;
  }

  /** The shard part of a pageserver path's tenant shard id. */
  private String shardOf(String uri) {
    String id = uri.substring("/v1/tenant/".length(), uri.indexOf("/timeline/"));
    return id.substring(id.indexOf('-') + 1);
  }
}
