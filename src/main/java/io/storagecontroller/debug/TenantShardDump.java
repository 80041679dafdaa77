package io.storagecontroller.debug;

import io.storagecontroller.model.Generation;
import io.storagecontroller.model.LocationConfigMode;
import io.storagecontroller.model.NodeId;
import io.storagecontroller.model.PlacementPolicy;
import io.storagecontroller.model.ShardSchedulingPolicy;
import io.storagecontroller.model.TenantShardId;
import io.storagecontroller.pageserver.LocationConfig;
import io.storagecontroller.shard.ShardView;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;

/**
 * One element of {@code GET /debug/v1/tenant}: a tenant shard as it is in memory, intent and
 * observed state included (Neon: "not a stable format"). The tenant config is left out: the dump is
 * for looking at placement, and configs are not the controller's to show.
 */
public record TenantShardDump(
    TenantShardId tenantShardId,
    Shard shard,
    long sequence,
    Generation generation,
    NodeId generationPageserver,
    PlacementPolicy policy,
    ShardSchedulingPolicy schedulingPolicy,
    Intent intent,
    Observed observed,
    String lastError,
    String splitting,
    Long heldBy,
    boolean pendingComputeNotification) {

  /** {@code count} is the literal count: 0 for a legacy unsharded tenant. */
  public record Shard(int number, int count, long stripeSize) {}

  public record Intent(NodeId attached, List<NodeId> secondary, String preferredAzId) {}

  /**
   * Per node id: the mode and generation the pageserver last confirmed, or {@code "unknown"} when a
   * call is under way or failed.
   */
  public record Observed(Map<String, Object> locations) {}

  public record Location(LocationConfigMode mode, Long generation) {}

  static final String UNKNOWN = "unknown";

  public static TenantShardDump of(ShardView s, boolean pendingComputeNotification) {
    Map<String, Object> locations = new LinkedHashMap<>();
    new TreeMap<>(s.observed())
        .forEach((node, conf) -> locations.put(node.toString(), location(conf)));
    return new TenantShardDump(
        s.id(),
        new Shard(
            s.id().shardNumber().value(), s.id().shardCount().literal(), s.stripeSize().value()),
        s.sequence(),
        s.generation(),
        s.generationPageserver(),
        s.policy(),
        s.schedulingPolicy(),
        new Intent(s.attached(), s.secondaries(), s.preferredAz()),
        new Observed(locations),
        s.lastError(),
        s.splitting() ? "Splitting" : "Idle",
        s.heldBy(),
        pendingComputeNotification);
  }

  private static Object location(Optional<LocationConfig> conf) {
    return conf.<Object>map(c -> new Location(c.mode(), c.generation())).orElse(UNKNOWN);
  }
}
