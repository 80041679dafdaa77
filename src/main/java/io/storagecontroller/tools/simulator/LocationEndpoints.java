package io.storagecontroller.tools.simulator;

import io.storagecontroller.http.ApiError;
import io.storagecontroller.model.LocationConfigMode;
import io.storagecontroller.model.TenantShardId;
import io.storagecontroller.pageserver.LocationConfig;
import io.storagecontroller.pageserver.LocationConfigListResponse;
import io.storagecontroller.pageserver.PageserverJson;
import io.storagecontroller.pageserver.TenantShardSplitResponse;
import java.util.ArrayList;
import java.util.List;
import tools.jackson.databind.node.ObjectNode;

/** Attach, detach, secondary and split: {@code location_config} and {@code shard_split}. */
final class LocationEndpoints {

  private final SimulatedPageserver pageserver;

  LocationEndpoints(SimulatedPageserver pageserver) {
    this.pageserver = pageserver;
  }

  void register(Router router) {
    router
        .add("PUT", "/v1/tenant/{tenant_shard_id}/location_config", this::configure)
        .add("GET", "/v1/location_config", r -> list())
        .add("GET", "/v1/location_config/{tenant_shard_id}", this::get)
        .add("PUT", "/v1/tenant/{tenant_shard_id}/shard_split", this::split);
  }

  private Reply configure(Request request) {
    TenantShardId id = request.tenantShardId();
    // Both are accepted and validated; flushing and activation are instant here.
    request.booleanQuery("lazy");
    request.longQuery("flush_ms");
    LocationConfig wanted = parse(request.json());
    pageserver.tenants().configure(id, wanted, "location_config");
    ObjectNode body = PageserverJson.mapper().createObjectNode();
    if (wanted.inAttachedMode()) {
      body.putArray("shards")
          .addObject()
          .put("shard_id", id.toString())
          .put("node_id", pageserver.nodeId().value());
    } else {
      body.putArray("shards");
    }
    if (wanted.inAttachedMode() && id.shardCount().isSharded()) {
      body.put("stripe_size", wanted.shardStripeSize());
    } else {
      body.putNull("stripe_size");
    }
    return new Reply(200, body);
  }

  /** The body as the pageserver keeps it: secondaries have no generation, attachments no warmth. */
  static LocationConfig parse(JsonBody body) {
    body.rejectUnknown(LocationConfig.FIELDS);
    LocationConfigMode mode =
        body.optionalParsed("mode", LocationConfigMode::fromJson)
            .orElseThrow(() -> JsonBody.missing("mode"));
    Long generation = null;
    if (body.optionalLong("generation").isPresent()) {
      generation = body.optionalLong("generation").getAsLong();
      if (generation < 0 || generation > 0xFFFF_FFFFL) {
        throw ApiError.badRequest("invalid `generation`: " + generation + " is not a u32");
      }
    }
    boolean attached = SafetyChecker.isAttached(mode);
    if (attached && generation == null) {
      throw ApiError.badRequest("generation is required to attach in mode " + mode.jsonName());
    }
    boolean warm =
        body.optionalObject("secondary_conf")
            .map(conf -> JsonBody.of(conf).optionalBoolean("warm").orElse(false))
            .orElse(false);
    return new LocationConfig(
        mode,
        attached ? generation : null,
        mode == LocationConfigMode.SECONDARY ? new LocationConfig.SecondaryConfig(warm) : null,
        u8(body, "shard_number"),
        u8(body, "shard_count"),
        body.longOr("shard_stripe_size", 0),
        body.requiredObject("tenant_conf").deepCopy());
  }

  private static int u8(JsonBody body, String name) {
    long value = body.longOr(name, 0);
    if (value < 0 || value > 255) {
      throw ApiError.badRequest("invalid `" + name + "`: " + value + " is not a u8");
    }
    return (int) value;
  }

  private Reply list() {
    List<List<Object>> shards = new ArrayList<>();
    pageserver.tenants().configs().forEach((id, config) -> shards.add(List.of(id, config)));
    return Reply.ok(new LocationConfigListResponse(shards));
  }

  private Reply get(Request request) {
    return Reply.ok(pageserver.tenants().config(request.tenantShardId()).orElse(null));
  }

  private Reply split(Request request) {
    TenantShardId parent = request.tenantShardId();
    JsonBody body = request.json();
    long count =
        body.optionalLong("new_shard_count").orElseThrow(() -> JsonBody.missing("new_shard_count"));
    if (count < 1 || count > 255) {
      throw ApiError.badRequest("invalid `new_shard_count`: " + count + " is not within 1..255");
    }
    Long stripe =
        body.optionalLong("new_stripe_size").isPresent()
            ? body.optionalLong("new_stripe_size").getAsLong()
            : null;
    return Reply.ok(
        new TenantShardSplitResponse(pageserver.tenants().split(parent, (int) count, stripe)));
  }
}
