package io.storagecontroller.http.tenant;

import io.storagecontroller.http.RequestName;
import io.storagecontroller.model.HumanDuration;
import io.storagecontroller.model.Refusal;
import io.storagecontroller.model.TenantShardId;
import io.storagecontroller.shard.MetadataHealth;
import io.storagecontroller.shard.MetadataHealthRecord;
import java.time.Duration;
import java.util.List;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RestController;
import tools.jackson.databind.node.JsonNodeFactory;
import tools.jackson.databind.node.ObjectNode;

/** Neon's metadata-health routes: the scrubber reports, operators list. */
@RestController
public class MetadataHealthController {
  private final MetadataHealth health;

  public MetadataHealthController(MetadataHealth health) {
    this.health = health;
  }

  /** {@code MetadataHealthUpdateRequest}. */
  public record UpdateRequest(
      List<TenantShardId> healthyTenantShards, List<TenantShardId> unhealthyTenantShards) {}

  /** {@code MetadataHealthListUnhealthyResponse}. */
  public record UnhealthyResponse(List<TenantShardId> unhealthyTenantShards) {}

  /** {@code MetadataHealthListOutdatedRequest}. */
  public record OutdatedRequest(String notScrubbedFor) {}

  /** {@code MetadataHealthListOutdatedResponse}. */
  public record OutdatedResponse(List<MetadataHealthRecord> healthRecords) {}

  @PostMapping("/control/v1/metadata_health/update")
  @RequestName("control_v1_metadata_health_update")
  ObjectNode update(@RequestBody UpdateRequest request) {
    if (request.healthyTenantShards() == null) {
      throw Refusal.badRequest("missing field `healthy_tenant_shards`");
    }
    if (request.unhealthyTenantShards() == null) {
      throw Refusal.badRequest("missing field `unhealthy_tenant_shards`");
    }
    health.record(request.healthyTenantShards(), request.unhealthyTenantShards());
    return JsonNodeFactory.instance.objectNode();
  }

  @GetMapping("/control/v1/metadata_health/unhealthy")
  @RequestName("control_v1_metadata_health_list_unhealthy")
  UnhealthyResponse unhealthy() {
    return new UnhealthyResponse(health.unhealthy());
  }

  @PostMapping("/control/v1/metadata_health/outdated")
  @RequestName("control_v1_metadata_health_list_outdated")
  OutdatedResponse outdated(@RequestBody OutdatedRequest request) {
    if (request.notScrubbedFor() == null) {
      throw Refusal.badRequest("missing field `not_scrubbed_for`");
    }
    Duration age;
    try {
      age = HumanDuration.parse(request.notScrubbedFor());
    } catch (IllegalArgumentException e) {
      throw Refusal.badRequest("invalid `not_scrubbed_for`: " + e.getMessage());
    }
    return new OutdatedResponse(health.notScrubbedFor(age));
  }
}
