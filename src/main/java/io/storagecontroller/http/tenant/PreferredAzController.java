package io.storagecontroller.http.tenant;

import io.storagecontroller.http.RequestName;
import io.storagecontroller.model.Refusal;
import io.storagecontroller.model.TenantShardId;
import io.storagecontroller.tenant.TenantService;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.springframework.web.bind.annotation.PutMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RestController;
import tools.jackson.databind.JsonNode;

/**
 * Neon's {@code PUT /control/v1/preferred_azs}: a map from tenant shard id to its new home AZ (or
 * null); answers the shards it updated (unknown ones are skipped, as in Neon). The optimiser then
 * moves their attachments into the new AZ.
 */
@RestController
public class PreferredAzController {
  private final TenantService tenants;

  public PreferredAzController(TenantService tenants) {
    this.tenants = tenants;
  }

  /** {@code {"updated": [TenantShardId]}}. */
  public record ShardsPreferredAzsResponse(List<TenantShardId> updated) {}

  @PutMapping("/control/v1/preferred_azs")
  @RequestName("control_v1_preferred_azs")
  ShardsPreferredAzsResponse update(@RequestBody JsonNode request) {
    if (!request.isObject()) {
      throw Refusal.badRequest("expected a map from tenant shard id to AZ (or null)");
    }
    Map<TenantShardId, String> azs = new LinkedHashMap<>();
    for (Map.Entry<String, JsonNode> entry : request.properties()) {
      JsonNode az = entry.getValue();
      if (!az.isNull() && !az.isString()) {
        throw Refusal.badRequest(
            "the AZ of " + entry.getKey() + " must be a string or null, not " + az);
      }
      azs.put(parse(entry.getKey()), az.isNull() ? null : az.asString());
    }
    return new ShardsPreferredAzsResponse(tenants.setPreferredAzs(azs));
  }

  private static TenantShardId parse(String key) {
    try {
      return TenantShardId.parse(key);
    } catch (IllegalArgumentException e) {
      throw Refusal.badRequest("invalid tenant shard id `" + key + "`: " + e.getMessage());
    }
  }
}
