package io.storagecontroller.http.tenant;

import io.storagecontroller.http.QueryFlags;
import io.storagecontroller.http.RequestName;
import io.storagecontroller.model.Lsn;
import io.storagecontroller.model.Refusal;
import io.storagecontroller.model.TenantId;
import io.storagecontroller.model.TenantShardId;
import io.storagecontroller.model.TimelineId;
import io.storagecontroller.timeline.TimelineService;
import jakarta.servlet.http.HttpServletRequest;
import java.util.Set;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.PutMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.NullNode;

/**
 * The per-timeline actions the control plane sends through the controller, forwarded to every
 * shard's attached pageserver (shard 0 last, its answer returned) as Neon does: archival, ancestor
 * detach, GC blocks, LSN leases, heatmap layer downloads; and the invisible mark, proxied to shard
 * 0 only. Requests are checked before any pageserver is asked; a pageserver's refusal is relayed.
 */
@RestController
public class TimelineActionController {
  private static final String TIMELINE = "/v1/tenant/{tenant_id}/timeline/{timeline_id}";
  private static final Set<String> DETACH_BEHAVIORS = Set.of("v1", "multi_level_and_no_reparent");

  private final TimelineService timelines;

  public TimelineActionController(TimelineService timelines) {
    this.timelines = timelines;
  }

  /** {@code {"state": "Archived" | "Unarchived"}}; 200 {@code null}. */
  @PutMapping(TIMELINE + "/archival_config")
  @RequestName("v1_tenant_timeline_archival_config")
  JsonNode archivalConfig(
      @PathVariable("tenant_id") TenantId tenant,
      @PathVariable("timeline_id") TimelineId timeline,
      @RequestBody JsonNode body) {
    JsonNode state = body.path("state");
    if (!state.isString() || !Set.of("Archived", "Unarchived").contains(state.asString())) {
      throw Refusal.badRequest("expected {\"state\": \"Archived\" | \"Unarchived\"}, got " + body);
    }
    return nothing(
        timelines.onEveryShard(tenant, null, timeline, "PUT", "archival_config", "", body));
  }

  /** Shard 0's {@code AncestorDetached}; {@code detach_behavior} is passed on. */
  @PutMapping(TIMELINE + "/detach_ancestor")
  @RequestName("v1_tenant_timeline_detach_ancestor")
  JsonNode detachAncestor(
      @PathVariable("tenant_id") TenantId tenant,
      @PathVariable("timeline_id") TimelineId timeline,
      @RequestParam(name = "detach_behavior", required = false) String behavior) {
    if (behavior != null && !DETACH_BEHAVIORS.contains(behavior)) {
      throw Refusal.badRequest(
          "invalid detach_behavior `" + behavior + "`, expected one of " + DETACH_BEHAVIORS);
    }
    String query = behavior == null ? "" : "?detach_behavior=" + behavior;
    return timelines.onEveryShard(tenant, null, timeline, "PUT", "detach_ancestor", query, null);
  }

  /** {@code block_gc} or {@code unblock_gc}: the path's last segment; 200 {@code null}. */
  @PostMapping({TIMELINE + "/block_gc", TIMELINE + "/unblock_gc"})
  @RequestName("v1_tenant_timeline_block_unblock_gc")
  JsonNode blockOrUnblockGc(
      @PathVariable("tenant_id") TenantId tenant,
      @PathVariable("timeline_id") TimelineId timeline,
      HttpServletRequest request) {
    String action = request.getRequestURI().endsWith("/unblock_gc") ? "unblock_gc" : "block_gc";
    return nothing(timelines.onEveryShard(tenant, null, timeline, "POST", action, "", null));
  }

  /** {@code {"lsn": "0/16B5A50"}}: the lease is taken on every shard; 200 {@code null}. */
  @PostMapping(TIMELINE + "/lsn_lease")
  @RequestName("v1_tenant_timeline_lsn_lease")
  JsonNode lsnLease(
      @PathVariable("tenant_id") TenantId tenant,
      @PathVariable("timeline_id") TimelineId timeline,
      @RequestBody JsonNode body) {
    JsonNode lsn = body.path("lsn");
    if (!lsn.isString()) {
      throw Refusal.badRequest("missing field `lsn` (an LSN such as \"0/16B5A50\")");
    }
    Lsn.parse(lsn.asString());
    return nothing(timelines.onEveryShard(tenant, null, timeline, "POST", "lsn_lease", "", body));
  }

  /**
   * Every shard of the tenant, or only the one named ({@code <tenant>-<shard>}); {@code
   * concurrency} and {@code recurse} are passed on; 200 {@code null}.
   */
  @PostMapping("/v1/tenant/{tenant_shard_id}/timeline/{timeline_id}/download_heatmap_layers")
  @RequestName("v1_tenant_timeline_download_heatmap_layers")
  JsonNode downloadHeatmapLayers(
      @PathVariable("tenant_shard_id") TenantShardId shard,
      @PathVariable("timeline_id") TimelineId timeline,
      @RequestParam(name = "concurrency", required = false) Integer concurrency,
      @RequestParam(name = "recurse", required = false) String recurseText) {
    Boolean recurse = QueryFlags.parse("recurse", recurseText, null);
    if (concurrency != null && concurrency < 1) {
      throw Refusal.badRequest("concurrency must be positive, got " + concurrency);
    }
    StringBuilder query = new StringBuilder();
    if (concurrency != null) {
      query.append("concurrency=").append(concurrency);
    }
    if (recurse != null) {
      query.append(query.isEmpty() ? "" : "&").append("recurse=").append(recurse);
    }
    TenantShardId only = shard.shardCount().literal() == 0 ? null : shard;
    return nothing(
        timelines.onEveryShard(
            shard.tenantId(),
            only,
            timeline,
            "POST",
            "download_heatmap_layers",
            query.isEmpty() ? "" : "?" + query,
            null));
  }

  /** Proxied to shard 0's pageserver as sent; its answer is returned. */
  @PutMapping(TIMELINE + "/mark_invisible")
  @RequestName("v1_tenant_timeline_mark_invisible_passthrough")
  JsonNode markInvisible(
      @PathVariable("tenant_id") TenantId tenant,
      @PathVariable("timeline_id") TimelineId timeline,
      @RequestBody JsonNode body) {
    if (!body.isObject()) {
      throw Refusal.badRequest("expected a JSON object body, got " + body);
    }
    TenantShardId zero = timelines.shardZero(tenant);
    return timelines.onEveryShard(tenant, zero, timeline, "PUT", "mark_invisible", "", body);
  }

  private static JsonNode nothing(JsonNode ignored) {
    return NullNode.getInstance();
  }
}
