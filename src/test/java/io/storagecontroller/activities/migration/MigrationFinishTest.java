package io.storagecontroller.activities.migration;

import static org.mockito.Mockito.mock;
import static org.mockito.Mockito.never;
import static org.mockito.Mockito.verify;
import static org.mockito.Mockito.when;

import io.storagecontroller.migration.ShardMigrations;
import io.storagecontroller.model.TenantShardId;
import io.storagecontroller.operation.OperationLog;
import io.storagecontroller.reconcile.LiveMigrationSteps;
import io.storagecontroller.reconcile.ReconcileRequests;
import io.storagecontroller.reconcile.ShardReconciler;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * A migration's end releases its shard and asks for a reconcile only when the tenant has work left:
 * a drain's thousands of completed moves start no reconcile workflow each.
 */
class MigrationFinishTest {
  static final TenantShardId SHARD = TenantShardId.parse("1f359dd625e519a1a4e8d7509690f6fc-0002");

  ShardMigrations migrations = mock(ShardMigrations.class);
  ShardReconciler reconciler = mock(ShardReconciler.class);
  ReconcileRequests reconciles = mock(ReconcileRequests.class);
  MigrationActivitiesImpl activities =
      new MigrationActivitiesImpl(
          mock(LiveMigrationSteps.class),
          migrations,
          reconciler,
          reconciles,
          mock(OperationLog.class));

  @Test
  void aCompletedMoveLeavesACleanTenantAlone() {
    when(reconciler.dirtyShards(SHARD.tenantId())).thenReturn(List.of());

    activities.finish(SHARD, 0, 7, "succeeded", null);

    verify(migrations).end(SHARD, 7);
    verify(reconciles, never()).request(SHARD.tenantId());
  }

  @Test
  void aTenantLeftWithWorkIsReconciled() {
    when(reconciler.dirtyShards(SHARD.tenantId())).thenReturn(List.of(SHARD));

    activities.finish(SHARD, 0, 7, "reverted", "destination did not warm up in time");

    verify(migrations).end(SHARD, 7);
    verify(reconciles).request(SHARD.tenantId());
  }
}
