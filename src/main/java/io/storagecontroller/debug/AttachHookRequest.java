package io.storagecontroller.debug;

import io.storagecontroller.model.Generation;
import io.storagecontroller.model.NodeId;
import io.storagecontroller.model.Refusal;
import io.storagecontroller.model.TenantShardId;
import io.storagecontroller.pageserver.PageserverJson;
import io.storagecontroller.tenant.TenantConfigFields;
import java.util.Map;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ObjectNode;

/**
 * {@code POST /debug/v1/attach-hook}: {@code {"tenant_shard_id", "node_id": u64|null,
 * "generation_override": i32|null, "config": TenantConfig|null}} (contract section 3.7). A null
 * {@code node_id} detaches the shard.
 */
public record AttachHookRequest(
    TenantShardId tenantShardId, NodeId nodeId, Integer generationOverride, JsonNode config) {

  /** The shard, or a 400 when the field is missing (an impossible shard is refused at parsing). */
  public TenantShardId requireShard() {
    if (tenantShardId == null) {
      throw Refusal.badRequest("missing field `tenant_shard_id`");
    }
    return tenantShardId;
  }

  /** The generation a shard created by the hook starts from (Neon: the override, else 0). */
  public Generation initialGeneration() {
    if (generationOverride == null) {
      return Generation.of(0);
    }
    if (generationOverride < 0) {
      throw Refusal.badRequest(
          "invalid `generation_override`: " + generationOverride + " must not be negative");
    }
    return Generation.of(generationOverride);
  }

  /** The tenant config as an object with only TenantConfig fields, or null when not given. */
  public ObjectNode tenantConfig() {
    if (config == null || config.isNull()) {
      return null;
    }
    if (!(config instanceof ObjectNode object)) {
      throw Refusal.badRequest("invalid `config`: expected an object, got " + config);
    }
    ObjectNode cleaned = PageserverJson.mapper().createObjectNode();
    for (Map.Entry<String, JsonNode> field : object.properties()) {
      if (!TenantConfigFields.NAMES.contains(field.getKey())) {
        throw Refusal.badRequest("unknown field `" + field.getKey() + "` in `config`");
      }
      if (!field.getValue().isNull()) {
        TenantConfigFields.requireValid(field.getKey(), field.getValue());
        cleaned.set(field.getKey(), field.getValue());
      }
    }
    return cleaned;
  }
}
