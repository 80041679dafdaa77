package io.storagecontroller.http.tenant;

import io.storagecontroller.http.RequestName;
import io.storagecontroller.model.Generation;
import io.storagecontroller.model.LocationConfigMode;
import io.storagecontroller.model.NodeId;
import io.storagecontroller.model.PlacementPolicy;
import io.storagecontroller.model.Refusal;
import io.storagecontroller.model.ShardCount;
import io.storagecontroller.model.ShardSchedulingPolicy;
import io.storagecontroller.model.ShardStripeSize;
import io.storagecontroller.model.TenantShardId;
import io.storagecontroller.node.NodeService;
import io.storagecontroller.pageserver.LocationConfig;
import io.storagecontroller.shard.ShardStore;
import io.storagecontroller.shard.ShardView;
import io.storagecontroller.shard.TenantShardRow;
import io.storagecontroller.tenant.RequestedGeneration;
import io.storagecontroller.tenant.TenantCreateRequest;
import io.storagecontroller.tenant.TenantService;
import java.time.Duration;
import java.util.List;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PutMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RestController;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ArrayNode;
import tools.jackson.databind.node.JsonNodeFactory;
import tools.jackson.databind.node.ObjectNode;

/**
 * {@code PUT /v1/tenant/:tenant_id/location_config}: how the control plane onboards (imports) a
 * tenant and coarsely controls it, talking to the controller as if it were one pageserver
 * (neon-behaviour.md 12). After the first call the controller, not the caller, is the authority on
 * generations.
 */
@RestController
public class LocationConfigController {
  /** Neon waits this long for the reconcile; its failure is not the caller's error. */
  static final Duration RECONCILE_WAIT = Duration.ofSeconds(5);

  private final TenantService tenants;
  private final ShardStore store;
  private final NodeService nodes;

  public LocationConfigController(TenantService tenants, ShardStore store, NodeService nodes) {
    this.tenants = tenants;
    this.store = store;
    this.nodes = nodes;
  }

  @PutMapping("/v1/tenant/{tenant_shard_id}/location_config")
  @RequestName("v1_tenant_location_config")
  ObjectNode locationConfig(
      @PathVariable("tenant_shard_id") TenantShardId id, @RequestBody JsonNode body) {
    if (!id.isUnsharded()) {
      throw Refusal.badRequest("location_config takes an unsharded tenant id, got " + id);
    }
    if (!(body instanceof ObjectNode request)) {
      throw Refusal.badRequest("Failed to parse json request: expected an object");
    }
    for (String name : request.propertyNames()) {
      if (!LocationConfig.FIELDS.contains(name)) {
        throw Refusal.badRequest("unknown field `" + name + "`");
      }
    }
    requireUnsigned(request, "shard_number", 0xFF);
    requireUnsigned(request, "shard_count", 0xFF);
    requireUnsigned(request, "shard_stripe_size", TenantShardRow.MAX_STORED);
    JsonNode secondary = request.get("secondary_conf");
    if (secondary != null && !secondary.isNull() && !secondary.isObject()) {
      throw Refusal.badRequest("invalid `secondary_conf`: " + secondary);
    }
    JsonNode modeNode = request.get("mode");
    if (modeNode == null || !modeNode.isString()) {
      throw Refusal.badRequest("missing field `mode`");
    }
    LocationConfigMode mode = LocationConfigMode.fromJson(modeNode.asString());
    JsonNode conf = request.get("tenant_conf");
    if (conf == null || !conf.isObject()) {
      throw Refusal.badRequest("missing field `tenant_conf`");
    }
    Generation generation = RequestedGeneration.of(request);
    boolean attached =
        mode == LocationConfigMode.ATTACHED_SINGLE
            || mode == LocationConfigMode.ATTACHED_MULTI
            || mode == LocationConfigMode.ATTACHED_STALE;
    PlacementPolicy placement =
        switch (mode) {
          case DETACHED -> PlacementPolicy.DETACHED;
          case SECONDARY -> PlacementPolicy.SECONDARY;
          default -> PlacementPolicy.attached(nodes.list().size() > 1 ? 1 : 0);
        };
    // Detached and Secondary force scheduling back to Active; attached modes keep what was set.
    ShardSchedulingPolicy scheduling = attached ? null : ShardSchedulingPolicy.ACTIVE;
    ObjectNode config = (ObjectNode) conf;
    if (store.hasTenant(id.tenantId())) {
      tenants.reconfigure(
          id.tenantId(), placement, scheduling, attached ? generation : null, config);
      tenants.awaitReconciled(id.tenantId(), RECONCILE_WAIT);
    } else {
      tenants.create(
          new TenantCreateRequest(
              id,
              attached ? generation : null,
              ShardCount.UNSHARDED,
              ShardStripeSize.DEFAULT,
              placement,
              config),
          RECONCILE_WAIT);
    }
    return response(tenants.requireTenant(id.tenantId()));
  }

  /**
   * A 400 unless the field is absent, null, or an integer from 0 to {@code max} (serde's u8, u32).
   */
  private static void requireUnsigned(ObjectNode request, String field, long max) {
    JsonNode value = request.get(field);
    if (value != null
        && !value.isNull()
        && !(value.isIntegralNumber()
            && value.canConvertToLong()
            && value.asLong() >= 0
            && value.asLong() <= max)) {
      throw Refusal.badRequest("invalid `" + field + "`: " + value);
    }
  }

  /** {@code {"shards":[{shard_id,node_id}]}} for attached intents; stripe size only if sharded. */
  private ObjectNode response(List<ShardView> shards) {
    ObjectNode out = JsonNodeFactory.instance.objectNode();
    ArrayNode list = out.putArray("shards");
    for (ShardView shard : shards) {
      NodeId node = shard.attached();
      if (node != null && shard.policy() instanceof PlacementPolicy.Attached) {
        list.addObject().put("shard_id", shard.id().toString()).put("node_id", node.value());
      }
    }
    ShardView zero = shards.get(0);
    if (zero.id().shardCount().isSharded()) {
      out.put("stripe_size", zero.stripeSize().value());
    } else {
      out.putNull("stripe_size");
    }
    return out;
  }
}
