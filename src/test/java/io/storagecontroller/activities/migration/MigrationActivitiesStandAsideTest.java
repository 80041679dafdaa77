package io.storagecontroller.activities.migration;

import static org.assertj.core.api.Assertions.assertThat;
import static org.mockito.ArgumentMatchers.any;
import static org.mockito.Mockito.mock;
import static org.mockito.Mockito.never;
import static org.mockito.Mockito.verify;
import static org.mockito.Mockito.verifyNoInteractions;
import static org.mockito.Mockito.when;

import io.storagecontroller.migration.ShardMigrations;
import io.storagecontroller.model.NodeId;
import io.storagecontroller.model.TenantShardId;
import io.storagecontroller.operation.OperationLog;
import io.storagecontroller.reconcile.LiveMigrationSteps;
import io.storagecontroller.reconcile.ReconcileRequests;
import io.storagecontroller.reconcile.ShardReconciler;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * A migration workflow that resumes after its shard was handed back to the reconciler (its
 * operation closed while the workflow was away) acts on nothing: its plan is stale.
 */
class MigrationActivitiesStandAsideTest {
  static final TenantShardId SHARD = TenantShardId.parse("1f359dd625e519a1a4e8d7509690f6fc-0002");
  static final NodeId ORIGIN = new NodeId(1);
  static final NodeId DESTINATION = new NodeId(2);

  LiveMigrationSteps steps = mock(LiveMigrationSteps.class);
  ShardMigrations migrations = mock(ShardMigrations.class);
  MigrationActivitiesImpl activities =
      new MigrationActivitiesImpl(
          steps,
          migrations,
          mock(ShardReconciler.class),
          mock(ReconcileRequests.class),
          mock(OperationLog.class));

  @Test
  void noStepActsOnAShardNoLongerHeld() {
    when(migrations.held(SHARD)).thenReturn(false);

    activities.prepareDestination(SHARD, DESTINATION);
    assertThat(activities.warmUp(SHARD, DESTINATION, 1000)).isTrue();
    assertThat(activities.stepDownOrigin(SHARD, ORIGIN)).isEmpty();
    activities.attachDestination(SHARD, DESTINATION);
    assertThat(activities.caughtUp(SHARD, DESTINATION, Map.of())).isTrue();
    assertThat(activities.notifyCompute(SHARD, ORIGIN)).isTrue();
    activities.demoteOrigin(SHARD, ORIGIN);
    activities.finalizeDestination(SHARD, DESTINATION);
    assertThat(activities.destinationHoldsGeneration(SHARD, DESTINATION)).isTrue();
    activities.revert(SHARD, ORIGIN, DESTINATION);

    verifyNoInteractions(steps);
    verify(migrations, never()).revert(any(), any(), any());
  }

  @Test
  void aHeldShardIsMigrated() {
    when(migrations.held(SHARD)).thenReturn(true);

    activities.attachDestination(SHARD, DESTINATION);
    activities.revert(SHARD, ORIGIN, DESTINATION);

    verify(steps).attachDestination(SHARD, DESTINATION);
    verify(migrations).revert(SHARD, ORIGIN, DESTINATION);
  }
}
