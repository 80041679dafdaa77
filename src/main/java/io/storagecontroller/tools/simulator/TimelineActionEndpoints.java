package io.storagecontroller.tools.simulator;

import io.storagecontroller.http.ApiError;
import io.storagecontroller.model.Lsn;
import io.storagecontroller.model.TimelineId;
import io.storagecontroller.pageserver.PageserverJson;
import java.time.Duration;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.Set;
import tools.jackson.databind.node.ObjectNode;

/**
 * The per-timeline actions the control plane asks of every shard through the controller: archival,
 * ancestor detach, GC blocks, LSN leases, heatmap layer downloads and the invisible mark. Each
 * needs the shard attached here (412 otherwise, as a pageserver missing the tenant) and the
 * timeline (404); the simulator keeps no state for them beyond what the answers need.
 */
final class TimelineActionEndpoints {
  /** A pageserver's default lease length. */
  static final Duration LEASE = Duration.ofMinutes(10);

  private static final DateTimeFormatter RFC3339_MILLIS =
      DateTimeFormatter.ofPattern("yyyy-MM-dd'T'HH:mm:ss.SSS'Z'").withZone(ZoneOffset.UTC);

  private final SimulatedPageserver pageserver;

  TimelineActionEndpoints(SimulatedPageserver pageserver) {
    this.pageserver = pageserver;
  }

  void register(Router router) {
    String timeline = "/v1/tenant/{tenant_shard_id}/timeline/{timeline_id}";
    router
        .add("PUT", timeline + "/archival_config", this::archivalConfig)
        .add("PUT", timeline + "/detach_ancestor", this::detachAncestor)
        .add("POST", timeline + "/block_gc", this::noContent)
        .add("POST", timeline + "/unblock_gc", this::noContent)
        .add("POST", timeline + "/lsn_lease", this::lsnLease)
        .add("POST", timeline + "/download_heatmap_layers", this::downloadHeatmapLayers)
        .add("PUT", timeline + "/mark_invisible", this::noContent);
  }

  private Reply archivalConfig(Request request) {
    String state = request.json().rejectUnknown(Set.of("state")).requiredString("state");
    if (!state.equals("Archived") && !state.equals("Unarchived")) {
      throw ApiError.badRequest("unknown variant `" + state + "`, expected Archived or Unarchived");
    }
    requireTimeline(request);
    return Reply.of(200, null);
  }

  private Reply detachAncestor(Request request) {
    requireTimeline(request);
    ObjectNode body = PageserverJson.mapper().createObjectNode();
    body.putArray("reparented_timelines");
    return Reply.of(200, body);
  }

  private Reply lsnLease(Request request) {
    request.json().optionalParsed("lsn", Lsn::parse).orElseThrow(() -> JsonBody.missing("lsn"));
    requireTimeline(request);
    ObjectNode body = PageserverJson.mapper().createObjectNode();
    body.put(
        "valid_until", RFC3339_MILLIS.format(pageserver.fleet().clock().instant().plus(LEASE)));
    return Reply.of(200, body);
  }

  private Reply downloadHeatmapLayers(Request request) {
    request.longQuery("concurrency");
    request.booleanQuery("recurse");
    requireTimeline(request);
    return Reply.of(200, null);
  }

  private Reply noContent(Request request) {
    requireTimeline(request);
    return Reply.of(200, null);
  }

  private void requireTimeline(Request request) {
    TimelineId id = request.timelineId();
    pageserver
        .tenants()
        .attached(
            request.tenantShardId(),
            () -> ApiError.preconditionFailed("Requested tenant is missing"),
            location -> TimelineEndpoints.timeline(location, id));
  }
}
