package io.storagecontroller.tools.simulator;

import io.storagecontroller.http.ApiError;
import io.storagecontroller.model.TenantShardId;
import io.storagecontroller.pageserver.PageserverJson;
import io.storagecontroller.pageserver.TopTenantShards;
import io.storagecontroller.pageserver.TopTenantShards.OrderBy;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Set;
import java.util.function.ToLongFunction;

/**
 * {@code POST /v1/top_tenants}: the attached shards here, largest first. Logical sizes are the
 * fleet's ({@link RemoteStorage#setLogicalSize}); as on a real pageserver only shard zero reports
 * the tenant's {@code max_logical_size}, and every shard its share per shard.
 */
final class TopTenantsEndpoint {
  private static final Set<String> FIELDS =
      Set.of("order_by", "limit", "where_shards_lt", "where_gt");

  private final SimulatedPageserver pageserver;

  TopTenantsEndpoint(SimulatedPageserver pageserver) {
    this.pageserver = pageserver;
  }

  void register(Router router) {
    router.add("POST", "/v1/top_tenants", this::top);
  }

  private Reply top(Request request) {
    JsonBody body = request.json().rejectUnknown(FIELDS);
    OrderBy order;
    try {
      order = OrderBy.parse(body.requiredString("order_by"));
    } catch (IllegalArgumentException e) {
      throw ApiError.badRequest(e.getMessage());
    }
    long limit = body.optionalLong("limit").orElseThrow(() -> JsonBody.missing("limit"));
    long shardsBelow = body.longOr("where_shards_lt", Long.MAX_VALUE);
    long above = body.longOr("where_gt", Long.MIN_VALUE);
    ToLongFunction<TopTenantShards.Shard> key = ordering(order);
    List<TopTenantShards.Shard> shards = new ArrayList<>();
    Instant now = pageserver.fleet().clock().instant();
    pageserver
        .tenants()
        .attachedPhysicalSizes(now)
        .forEach(
            (id, physical) -> {
              TopTenantShards.Shard shard = describe(id, physical);
              if (id.shardCount().count() < shardsBelow && key.applyAsLong(shard) > above) {
                shards.add(shard);
              }
            });
    shards.sort(Comparator.comparingLong(key).reversed());
    List<TopTenantShards.Shard> top = shards.subList(0, (int) Math.min(limit, shards.size()));
    return Reply.ok(PageserverJson.mapper().valueToTree(new TopTenantShards.Response(top)));
  }

  private TopTenantShards.Shard describe(TenantShardId id, long physical) {
    if (id.shardNumber().value() != 0) {
      return new TopTenantShards.Shard(id, physical, physical, 0, 0);
    }
    long logical = pageserver.fleet().remote().logicalSize(id.tenantId());
    int count = Math.max(1, id.shardCount().count());
    return new TopTenantShards.Shard(id, physical, physical, logical, logical / count);
  }

  private static ToLongFunction<TopTenantShards.Shard> ordering(OrderBy order) {
    return switch (order) {
      case RESIDENT_SIZE -> TopTenantShards.Shard::residentSize;
      case MAX_LOGICAL_SIZE -> TopTenantShards.Shard::maxLogicalSize;
      case MAX_LOGICAL_SIZE_PER_SHARD -> TopTenantShards.Shard::maxLogicalSizePerShard;
    };
  }
}
