package io.storagecontroller.evacuation;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.mockito.ArgumentMatchers.any;
import static org.mockito.ArgumentMatchers.eq;
import static org.mockito.Mockito.doThrow;
import static org.mockito.Mockito.mock;
import static org.mockito.Mockito.verify;
import static org.mockito.Mockito.when;

import io.storagecontroller.compute.ComputeNotifications;
import io.storagecontroller.failpoint.Failpoints;
import io.storagecontroller.model.TenantId;
import io.storagecontroller.model.TenantShardId;
import io.storagecontroller.node.NodeService;
import io.storagecontroller.operation.OperationLog;
import io.storagecontroller.reconcile.ReconcileSlots;
import io.storagecontroller.reconcile.ShardReconciler;
import io.storagecontroller.shard.ShardStore;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** A batch's tenants reconcile side by side, and every one is tried even when one fails. */
class EvacuationsTest {
  private final ShardReconciler reconciler = mock(ShardReconciler.class);
  private final ComputeNotifications notifications = mock(ComputeNotifications.class);
  private final OperationLog operations = mock(OperationLog.class);
  private final Evacuations evacuations =
      new Evacuations(
          mock(ShardStore.class),
          mock(NodeService.class),
          reconciler,
          notifications,
          operations,
          mock(Failpoints.class));

  @AfterEach
  void stop() {
    evacuations.stop();
  }

  @Test
  void aBatchReconcilesItsTenantsSideBySide() {
    List<TenantId> tenants = tenants(64); // a batch
    // Each reconcile waits until all 64 have started: one after another, the first would wait
    // forever (its deadline fails it and the batch).
    CountDownLatch allStarted = new CountDownLatch(tenants.size());
    when(reconciler.dirtyShards(any()))
        .thenAnswer(call -> List.of(TenantShardId.unsharded(call.getArgument(0))));
    when(reconciler.reconcile(any(), eq(ReconcileSlots.Priority.HIGH)))
        .thenAnswer(
            call -> {
              allStarted.countDown();
              if (!allStarted.await(30, TimeUnit.SECONDS)) {
                throw new IllegalStateException("reconciles ran one after another");
              }
              return new ShardReconciler.Outcome(true, true);
            });

    assertThat(evacuations.reconcileBatch(7, tenants)).isEqualTo(64);

    assertThat(allStarted.getCount()).isZero();
    tenants.forEach(t -> verify(notifications).notifyOrMarkPending(t));
    verify(operations).advance(7, 64);
  }

  @Test
  void aTenantThatFailsDoesNotStopTheOthers() {
    List<TenantId> tenants = tenants(8);
    when(reconciler.dirtyShards(any())).thenReturn(List.of());
    doThrow(new IllegalStateException("compute hook broke"))
        .when(notifications)
        .notifyOrMarkPending(tenants.get(0));

    assertThatThrownBy(() -> evacuations.reconcileBatch(7, tenants))
        .hasMessage("compute hook broke");

    tenants.forEach(t -> verify(notifications).notifyOrMarkPending(t));
  }

  private static List<TenantId> tenants(int count) {
    List<TenantId> tenants = new ArrayList<>();
    for (int i = 0; i < count; i++) {
      tenants.add(TenantId.generate());
    }
    return tenants;
  }
}
