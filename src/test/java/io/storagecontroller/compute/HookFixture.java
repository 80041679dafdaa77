package io.storagecontroller.compute;

import io.storagecontroller.model.Generation;
import io.storagecontroller.model.NodeId;
import io.storagecontroller.model.PlacementPolicy;
import io.storagecontroller.model.ShardCount;
import io.storagecontroller.model.ShardNumber;
import io.storagecontroller.model.ShardSchedulingPolicy;
import io.storagecontroller.model.ShardStripeSize;
import io.storagecontroller.model.TenantId;
import io.storagecontroller.model.TenantShardId;
import io.storagecontroller.shard.ShardView;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import tools.jackson.databind.node.JsonNodeFactory;

/**
 * In-memory tenants for hook tests: the shard views the hook reads, with no database or pageserver
 * involved (a fake of the shard store's reads, for unit tests only).
 */
final class HookFixture {
  static final NodeId N1 = NodeId.of(1);
  static final NodeId N2 = NodeId.of(2);
  static final NodeId N3 = NodeId.of(3);

  private final Map<TenantId, List<ShardView>> tenants = new ConcurrentHashMap<>();

  /**
   * Short waits so that failing hooks cost milliseconds: 4 attempts, backoff 10 ms doubling to 50
   * ms, 20 ms after a 429, 4 at a time. The call timeout (3 s) and the budget (10 s) stay generous:
   * on a loaded machine a first connection can be slow, and a spurious retry would break counts.
   * Tests of timeouts set their own.
   */
  static ComputeHookSettings fast(String controlPlaneUrl, String token) {
    return new ComputeHookSettings(
        ComputeHookSettings.notifyAttachUrl(controlPlaneUrl),
        token,
        Duration.ofSeconds(3),
        4,
        Duration.ofMillis(10),
        2,
        Duration.ofMillis(50),
        Duration.ofMillis(20),
        Duration.ofSeconds(10),
        4);
  }

  ComputeHook hook(ComputeHookSettings settings, ComputeHookMetrics metrics) {
    return new ComputeHook(t -> tenants.getOrDefault(t, List.of()), settings, metrics);
  }

  /**
   * A tenant of {@code count} shards (literal: 0 is the legacy unsharded form), shard i attached to
   * {@code nodes[i % nodes.length]}; a null node leaves that shard unattached.
   */
  TenantId tenant(int count, long stripe, String preferredAz, NodeId... nodes) {
    TenantId tenant = TenantId.generate();
    List<ShardView> shards = new ArrayList<>();
    for (int i = 0; i < Math.max(count, 1); i++) {
      TenantShardId id = new TenantShardId(tenant, ShardNumber.of(i), ShardCount.of(count));
      shards.add(shard(id, ShardStripeSize.of(stripe), preferredAz, nodes[i % nodes.length]));
    }
    tenants.put(tenant, shards);
    return tenant;
  }

  /** Moves every shard of the tenant's attachment to the node (null: detaches). */
  void attachAll(TenantId tenant, NodeId node) {
    tenants.computeIfPresent(
        tenant,
        (t, shards) ->
            shards.stream()
                .map(s -> shard(s.id(), s.stripeSize(), s.preferredAz(), node))
                .toList());
  }

  private static ShardView shard(
      TenantShardId id, ShardStripeSize stripe, String preferredAz, NodeId attached) {
    return new ShardView(
        id,
        stripe,
        Generation.of(1),
        attached,
        PlacementPolicy.attached(1),
        ShardSchedulingPolicy.ACTIVE,
        JsonNodeFactory.instance.objectNode(),
        false,
        null,
        attached,
        List.of(),
        preferredAz,
        Map.of(),
        "",
        0);
  }
}
