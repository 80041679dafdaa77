package io.storagecontroller.compute;

import io.storagecontroller.model.Generation;
import io.storagecontroller.model.NodeAvailability;
import io.storagecontroller.model.NodeId;
import io.storagecontroller.model.NodeSchedulingPolicy;
import io.storagecontroller.model.PlacementPolicy;
import io.storagecontroller.model.ShardCount;
import io.storagecontroller.model.ShardNumber;
import io.storagecontroller.model.ShardSchedulingPolicy;
import io.storagecontroller.model.ShardStripeSize;
import io.storagecontroller.model.TenantId;
import io.storagecontroller.model.TenantShardId;
import io.storagecontroller.tenant.ServiceState;
import io.storagecontroller.tenant.TenantShard;
import io.storagecontroller.tenant.TenantShardRow;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/**
 * In-memory tenants for hook tests: shards are built the way the service builds them (row, then
 * intent, then added to the state), with no database or pageserver involved.
 */
final class HookFixture {
  static final NodeId N1 = NodeId.of(1);
  static final NodeId N2 = NodeId.of(2);
  static final NodeId N3 = NodeId.of(3);

  final ServiceState state = new ServiceState();

  HookFixture() {
    state.scheduler().upsertNode(N1, "az-a", NodeSchedulingPolicy.ACTIVE, NodeAvailability.ACTIVE);
    state.scheduler().upsertNode(N2, "az-b", NodeSchedulingPolicy.ACTIVE, NodeAvailability.ACTIVE);
    state.scheduler().upsertNode(N3, "az-a", NodeSchedulingPolicy.ACTIVE, NodeAvailability.ACTIVE);
  }

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
    return new ComputeHook(state, settings, metrics);
  }

  /**
   * A tenant of {@code count} shards (literal: 0 is the legacy unsharded form), shard i attached to
   * {@code nodes[i % nodes.length]}; a null node leaves that shard unattached.
   */
  TenantId tenant(int count, long stripe, String preferredAz, NodeId... nodes) {
    TenantId tenant = TenantId.generate();
    List<TenantShard> shards = new ArrayList<>();
    for (int i = 0; i < Math.max(count, 1); i++) {
      NodeId node = nodes[i % nodes.length];
      TenantShard shard =
          state.newShard(
              new TenantShardRow(
                  new TenantShardId(tenant, ShardNumber.of(i), ShardCount.of(count)),
                  ShardStripeSize.of(stripe),
                  Generation.of(1),
                  node,
                  PlacementPolicy.attached(1),
                  false,
                  "{}",
                  ShardSchedulingPolicy.ACTIVE,
                  preferredAz,
                  null,
                  List.of()));
      if (node != null) {
        shard.intent().setAttached(node);
      }
      shards.add(shard);
    }
    state.add(shards);
    return tenant;
  }

  /** Moves every shard of the tenant's attachment to the node (null: detaches). */
  void attachAll(TenantId tenant, NodeId node) {
    for (TenantShard shard : state.tenant(tenant)) {
      state.update(
          shard.id(),
          s -> {
            if (node == null) {
              s.intent().clearAttached();
            } else {
              s.intent().setAttached(node);
            }
          });
    }
  }

  boolean pendingOnEveryShard(TenantId tenant) {
    return state.read(
        () -> state.tenant(tenant).stream().allMatch(TenantShard::pendingComputeNotification));
  }

  boolean pendingOnAnyShard(TenantId tenant) {
    return state.read(
        () -> state.tenant(tenant).stream().anyMatch(TenantShard::pendingComputeNotification));
  }
}
