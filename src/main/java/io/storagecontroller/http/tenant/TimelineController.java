package io.storagecontroller.http.tenant;

import io.storagecontroller.http.NullBody;
import io.storagecontroller.http.RequestName;
import io.storagecontroller.model.Lsn;
import io.storagecontroller.model.Refusal;
import io.storagecontroller.model.TenantId;
import io.storagecontroller.model.TimelineId;
import io.storagecontroller.timeline.TimelineService;
import java.util.List;
import org.springframework.http.HttpStatus;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.DeleteMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RestController;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ObjectNode;

/** {@code POST/DELETE /v1/tenant/:tenant_id/timeline}: timelines across every shard. */
@RestController
public class TimelineController {
  private final TimelineService timelines;

  public TimelineController(TimelineService timelines) {
    this.timelines = timelines;
  }

  @PostMapping("/v1/tenant/{tenant_id}/timeline")
  @RequestName("v1_tenant_timeline")
  ResponseEntity<ObjectNode> create(
      @PathVariable("tenant_id") TenantId tenant, @RequestBody JsonNode body) {
    if (!(body instanceof ObjectNode request)) {
      throw Refusal.badRequest("Failed to parse json request: expected an object");
    }
    requireWellTyped(request);
    return ResponseEntity.status(HttpStatus.CREATED).body(timelines.create(tenant, request));
  }

  /**
   * The request's fields as serde types them (ids, an LSN, a u32 pg_version, a bool), checked
   * before any pageserver is asked: a malformed request must not reach one.
   */
  private static void requireWellTyped(ObjectNode request) {
    for (String field : List.of("ancestor_timeline_id", "existing_initdb_timeline_id")) {
      JsonNode id = request.get(field);
      if (id != null && !id.isNull()) {
        if (!id.isString()) {
          throw Refusal.badRequest("invalid `" + field + "`: " + id);
        }
        TimelineId.parse(id.asString());
      }
    }
    JsonNode lsn = request.get("ancestor_start_lsn");
    if (lsn != null && !lsn.isNull()) {
      if (!lsn.isString()) {
        throw Refusal.badRequest("invalid `ancestor_start_lsn`: " + lsn);
      }
      Lsn.parse(lsn.asString());
    }
    JsonNode version = request.get("pg_version");
    if (version != null
        && !version.isNull()
        && !(version.isIntegralNumber()
            && version.canConvertToLong()
            && version.asLong() >= 0
            && version.asLong() <= 0xFFFF_FFFFL)) {
      throw Refusal.badRequest("invalid `pg_version`: " + version);
    }
    JsonNode readOnly = request.get("read_only");
    if (readOnly != null && !readOnly.isNull() && !readOnly.isBoolean()) {
      throw Refusal.badRequest("invalid `read_only`: " + readOnly);
    }
  }

  /** 200 {@code null} once deleted everywhere; 409 {@code null} while still deleting (retry). */
  @DeleteMapping("/v1/tenant/{tenant_id}/timeline/{timeline_id}")
  @RequestName("v1_tenant_timeline")
  ResponseEntity<String> delete(
      @PathVariable("tenant_id") TenantId tenant,
      @PathVariable("timeline_id") TimelineId timeline) {
    return timelines.delete(tenant, timeline)
        ? NullBody.ok()
        : NullBody.status(HttpStatus.CONFLICT);
  }
}
