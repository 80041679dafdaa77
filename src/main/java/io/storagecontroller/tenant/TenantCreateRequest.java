package io.storagecontroller.tenant;

import io.storagecontroller.model.Generation;
import io.storagecontroller.model.PlacementPolicy;
import io.storagecontroller.model.Refusal;
import io.storagecontroller.model.ShardCount;
import io.storagecontroller.model.ShardStripeSize;
import io.storagecontroller.model.TenantShardId;
import io.storagecontroller.shard.TenantShardRow;
import java.util.Iterator;
import java.util.Map;
import java.util.Set;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ObjectNode;

/**
 * {@code POST /v1/tenant}: the tenant id, optional generation, shard parameters and placement
 * policy, with the tenant config flattened into the same object. Unknown fields are refused.
 */
public record TenantCreateRequest(
    TenantShardId newTenantId,
    Generation generation,
    ShardCount shardCount,
    ShardStripeSize stripeSize,
    PlacementPolicy placementPolicy,
    ObjectNode config) {

  private static final Set<String> OWN_FIELDS =
      Set.of("new_tenant_id", "generation", "shard_parameters", "placement_policy");

  public static TenantCreateRequest parse(ObjectNode body) {
    ObjectNode config = body.objectNode();
    for (Iterator<Map.Entry<String, JsonNode>> it = body.properties().iterator(); it.hasNext(); ) {
      Map.Entry<String, JsonNode> field = it.next();
      if (OWN_FIELDS.contains(field.getKey())) {
        continue;
      }
      if (!field.getValue().isNull()) {
        TenantConfigFields.requireValid(field.getKey(), field.getValue());
        config.set(field.getKey(), field.getValue());
      } else if (!TenantConfigFields.NAMES.contains(field.getKey())) {
        throw Refusal.badRequest("unknown field `" + field.getKey() + "`");
      }
    }
    JsonNode id = body.get("new_tenant_id");
    if (id == null || !id.isString()) {
      throw Refusal.badRequest("missing field `new_tenant_id`");
    }
    TenantShardId tenant = TenantShardId.parse(id.asString());
    if (!tenant.isUnsharded()) {
      throw Refusal.badRequest("new_tenant_id must be an unsharded tenant id, got " + tenant);
    }
    Generation generation = RequestedGeneration.of(body);
    ShardCount count = ShardCount.UNSHARDED;
    ShardStripeSize stripe = ShardStripeSize.DEFAULT;
    JsonNode params = body.get("shard_parameters");
    if (params != null && !params.isNull()) {
      if (!params.isObject()) {
        throw Refusal.badRequest("invalid `shard_parameters`: expected an object");
      }
      for (String name : params.propertyNames()) {
        if (!name.equals("count") && !name.equals("stripe_size")) {
          throw Refusal.badRequest("unknown field `" + name + "` in `shard_parameters`");
        }
      }
      long literal = intField(params, "count", 0);
      if (literal < 0 || literal > 255) {
        throw Refusal.badRequest(
            "invalid `shard_parameters.count`: " + literal + " is not in 0-255");
      }
      count = ShardCount.of((int) literal);
      long stripeSize = intField(params, "stripe_size", ShardStripeSize.DEFAULT.value());
      if (stripeSize < 0 || stripeSize > TenantShardRow.MAX_STORED) {
        throw Refusal.badRequest(
            "invalid `shard_parameters.stripe_size`: "
                + stripeSize
                + " is not in 0-"
                + TenantShardRow.MAX_STORED);
      }
      stripe = ShardStripeSize.of(stripeSize);
      if (count.isSharded() && stripe.value() == 0) {
        throw Refusal.badRequest("stripe_size must not be 0 for a sharded tenant");
      }
    }
    PlacementPolicy policy = PlacementPolicy.attached(0);
    JsonNode placement = body.get("placement_policy");
    if (placement != null && !placement.isNull()) {
      policy = PlacementPolicy.fromJson(placement.toString());
    }
    return new TenantCreateRequest(tenant, generation, count, stripe, policy, config);
  }

  private static long intField(JsonNode params, String name, long fallback) {
    JsonNode value = params.get(name);
    if (value == null || value.isNull()) {
      return fallback;
    }
    if (!value.isIntegralNumber() || !value.canConvertToLong()) {
      throw Refusal.badRequest("invalid `shard_parameters." + name + "`: " + value);
    }
    return value.asLong();
  }
}
