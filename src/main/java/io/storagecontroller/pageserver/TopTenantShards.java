package io.storagecontroller.pageserver;

import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.annotation.JsonValue;
import io.storagecontroller.model.TenantShardId;
import java.util.List;

/**
 * The pageserver's {@code POST /v1/top_tenants}: its attached shards, largest first, which
 * auto-split reads to find tenants that have outgrown their shard count.
 */
public final class TopTenantShards {
  private TopTenantShards() {}

  /** How the pageserver orders (and {@code where_gt} filters) its shards. */
  public enum OrderBy {
    RESIDENT_SIZE("resident_size"),
    MAX_LOGICAL_SIZE("max_logical_size"),
    MAX_LOGICAL_SIZE_PER_SHARD("max_logical_size_per_shard");

    private final String wire;

    OrderBy(String wire) {
      this.wire = wire;
    }

    @JsonValue
    public String wire() {
      return wire;
    }

    @JsonCreator
    public static OrderBy parse(String text) {
      for (OrderBy order : values()) {
        if (order.wire.equals(text)) {
          return order;
        }
      }
      throw new IllegalArgumentException(
          "unknown order_by '"
              + text
              + "': expected resident_size, max_logical_size or max_logical_size_per_shard");
    }
  }

  /**
   * @param whereShardsLt only tenants with fewer shards than this (null: any)
   * @param whereGt only shards whose ordering value is greater than this (null: any)
   */
  public record Request(OrderBy orderBy, int limit, Integer whereShardsLt, Long whereGt) {}

  /**
   * One shard. The pageserver tracks {@code max_logical_size} (the largest timeline's logical size,
   * for the whole tenant) on shard zero only.
   */
  public record Shard(
      TenantShardId id,
      long residentSize,
      long physicalSize,
      long maxLogicalSize,
      long maxLogicalSizePerShard) {}

  /** The answer: {@code {"shards": [...]}}. */
  public record Response(List<Shard> shards) {
    public Response {
      shards = shards == null ? List.of() : List.copyOf(shards);
    }
  }
}
