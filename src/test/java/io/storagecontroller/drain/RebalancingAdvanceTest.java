package io.storagecontroller.drain;

import static org.mockito.ArgumentMatchers.any;
import static org.mockito.ArgumentMatchers.anyLong;
import static org.mockito.Mockito.mock;
import static org.mockito.Mockito.never;
import static org.mockito.Mockito.verify;
import static org.mockito.Mockito.when;

import io.storagecontroller.failpoint.Failpoints;
import io.storagecontroller.migration.ShardMigrations;
import io.storagecontroller.model.TenantShardId;
import io.storagecontroller.node.NodeService;
import io.storagecontroller.operation.OperationLog;
import io.storagecontroller.reconcile.ReconcileRequests;
import io.storagecontroller.reconcile.ShardReconciler;
import io.storagecontroller.shard.ShardStore;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * The end of a drain's or fill's window: its shards are released together, and only a tenant left
 * with work (a reverted or failed move) gets a reconcile.
 */
class RebalancingAdvanceTest {
  static final TenantShardId MOVED = TenantShardId.parse("1f359dd625e519a1a4e8d7509690f6fc-0002");
  static final TenantShardId REVERTED =
      TenantShardId.parse("2f359dd625e519a1a4e8d7509690f6fc-0002");

  ShardMigrations migrations = mock(ShardMigrations.class);
  OperationLog operations = mock(OperationLog.class);
  ReconcileRequests reconciles = mock(ReconcileRequests.class);
  ShardReconciler reconciler = mock(ShardReconciler.class);
  Rebalancing rebalancing =
      new Rebalancing(
          mock(ShardStore.class),
          mock(NodeService.class),
          migrations,
          operations,
          reconciles,
          mock(Failpoints.class),
          mock(SecondaryLag.class),
          reconciler);

  @Test
  void aWindowReleasesItsShardsTogetherAndReconcilesOnlyTenantsWithWorkLeft() {
    when(reconciler.dirtyShards(MOVED.tenantId())).thenReturn(List.of());
    when(reconciler.dirtyShards(REVERTED.tenantId())).thenReturn(List.of(REVERTED));

    rebalancing.advance(7, 1, List.of(MOVED, REVERTED));

    verify(migrations).endAll(List.of(MOVED, REVERTED), 7);
    verify(reconciles).request(REVERTED.tenantId());
    verify(reconciles, never()).request(MOVED.tenantId());
    verify(operations).advance(7, 1);
  }

  @Test
  void aWindowRunBeforeWindowsReleasedOnlyCountsItsMoves() {
    rebalancing.advance(7, 2, List.of());

    verify(migrations, never()).endAll(any(), anyLong());
    verify(operations).advance(7, 2);
  }
}
