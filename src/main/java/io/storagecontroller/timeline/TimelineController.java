package io.storagecontroller.timeline;

import io.storagecontroller.http.ApiError;
import io.storagecontroller.http.NullBody;
import io.storagecontroller.http.RequestName;
import io.storagecontroller.model.TenantId;
import io.storagecontroller.model.TimelineId;
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
      throw ApiError.badRequest("Failed to parse json request: expected an object");
    }
    return ResponseEntity.status(HttpStatus.CREATED).body(timelines.create(tenant, request));
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
