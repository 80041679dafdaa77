package io.storagecontroller.workflows.reconcile;

import static org.assertj.core.api.Assertions.assertThat;
import static org.mockito.ArgumentMatchers.any;
import static org.mockito.Mockito.mock;
import static org.mockito.Mockito.never;
import static org.mockito.Mockito.times;
import static org.mockito.Mockito.verify;
import static org.mockito.Mockito.when;
import static org.mockito.Mockito.withSettings;

import io.storagecontroller.activities.TaskQueues;
import io.storagecontroller.activities.reconcile.ReconcileActivities;
import io.storagecontroller.activities.reconcile.ShardReconcileResult;
import io.storagecontroller.model.TenantId;
import io.storagecontroller.model.TenantShardId;
import io.temporal.client.WorkflowClient;
import io.temporal.client.WorkflowOptions;
import io.temporal.common.WorkflowExecutionHistory;
import io.temporal.failure.ApplicationFailure;
import io.temporal.testing.TestWorkflowEnvironment;
import io.temporal.worker.Worker;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The Reconcile workflow against fake activities, on the test service with time skipping. */
class ReconcileWorkflowTest {
  static final TenantId TENANT = TenantId.parse("1f359dd625e519a1a4e8d7509690f6fc");
  static final TenantShardId SHARD_0 = TenantShardId.parse(TENANT + "-0002");
  static final TenantShardId SHARD_1 = TenantShardId.parse(TENANT + "-0102");

  TestWorkflowEnvironment env;
  Worker worker;
  WorkflowClient client;
  ReconcileActivities activities;

  @BeforeEach
  void setUp() {
    env = TestWorkflowEnvironment.newInstance();
    worker = env.newWorker(TaskQueues.CONTROLLER);
    worker.registerWorkflowImplementationTypes(ReconcileWorkflowImpl.class);
    activities = mock(ReconcileActivities.class, withSettings().withoutAnnotations());
    worker.registerActivitiesImplementations(activities);
    client = env.getWorkflowClient();
  }

  @AfterEach
  void tearDown() {
    env.close();
  }

  ReconcileWorkflow workflow() {
    return client.newWorkflowStub(
        ReconcileWorkflow.class,
        WorkflowOptions.newBuilder()
            .setTaskQueue(TaskQueues.CONTROLLER)
            .setWorkflowId(ReconcileWorkflow.workflowId(TENANT))
            .build());
  }

  @Test
  void cleanTenantDoesNothing() {
    when(activities.dirtyShards(TENANT)).thenReturn(List.of());
    env.start();
    workflow().reconcile(TENANT);
    verify(activities, never()).reconcileShard(any());
    verify(activities, never()).notifyCompute(any());
  }

  @Test
  void reconcilesEveryDirtyShardThenNotifiesOnce() throws Exception {
    when(activities.dirtyShards(TENANT)).thenReturn(List.of(SHARD_0, SHARD_1));
    when(activities.reconcileShard(SHARD_0))
        .thenReturn(new ShardReconcileResult(SHARD_0, true, true));
    when(activities.reconcileShard(SHARD_1))
        .thenReturn(new ShardReconcileResult(SHARD_1, false, true));
    env.start();
    workflow().reconcile(TENANT);
    verify(activities).reconcileShard(SHARD_0);
    verify(activities).reconcileShard(SHARD_1);
    verify(activities, times(1)).notifyCompute(TENANT);
    recordHistory(ReconcileWorkflowReplayTest.LOCAL);
  }

  @Test
  void noNotificationWhenNoAttachmentMoved() {
    when(activities.dirtyShards(TENANT)).thenReturn(List.of(SHARD_0));
    when(activities.reconcileShard(SHARD_0))
        .thenReturn(new ShardReconcileResult(SHARD_0, false, true));
    env.start();
    workflow().reconcile(TENANT);
    verify(activities, never()).notifyCompute(any());
  }

  @Test
  void transientActivityFailureIsRetried() {
    AtomicInteger calls = new AtomicInteger();
    when(activities.dirtyShards(TENANT)).thenReturn(List.of(SHARD_0));
    when(activities.reconcileShard(SHARD_0))
        .thenAnswer(
            inv -> {
              if (calls.incrementAndGet() < 3) {
                throw new IllegalStateException("pageserver 1 unreachable");
              }
              return new ShardReconcileResult(SHARD_0, true, true);
            });
    env.start();
    workflow().reconcile(TENANT);
    assertThat(calls.get()).isEqualTo(3);
    verify(activities).notifyCompute(TENANT);
  }

  @Test
  void aShardThatKeepsFailingIsLeftForTheSweepAndOthersStillFinish() {
    when(activities.dirtyShards(TENANT)).thenReturn(List.of(SHARD_0, SHARD_1));
    when(activities.reconcileShard(SHARD_0))
        .thenThrow(
            ApplicationFailure.newNonRetryableFailure("404 from pageserver", "PageserverRefused"));
    when(activities.reconcileShard(SHARD_1))
        .thenReturn(new ShardReconcileResult(SHARD_1, true, true));
    env.start();
    workflow().reconcile(TENANT);
    verify(activities, times(1)).reconcileShard(SHARD_0);
    verify(activities).notifyCompute(TENANT);
  }

  @Test
  void aChangeSignalledDuringARunMakesItGoRoundAgain() {
    AtomicInteger rounds = new AtomicInteger();
    when(activities.dirtyShards(TENANT))
        .thenAnswer(
            inv -> {
              if (rounds.incrementAndGet() == 1) {
                // The intent changes while the first round is under way.
                client
                    .newWorkflowStub(ReconcileWorkflow.class, ReconcileWorkflow.workflowId(TENANT))
                    .intentChanged();
              }
              return List.of(SHARD_0);
            });
    when(activities.reconcileShard(SHARD_0))
        .thenReturn(new ShardReconcileResult(SHARD_0, false, true));
    env.start();
    workflow().reconcile(TENANT);
    assertThat(rounds.get()).isEqualTo(2);
    verify(activities, times(2)).reconcileShard(SHARD_0);
  }

  /**
   * Writes this run's history for the replay test (and the controller's warm-up, which replays the
   * same file) when -Dhistories.record=true.
   */
  void recordHistory(String path) throws Exception {
    if (!Boolean.getBoolean("histories.record")) {
      return;
    }
    WorkflowExecutionHistory history = client.fetchHistory(ReconcileWorkflow.workflowId(TENANT));
    Files.writeString(Path.of(path), history.toJson(true));
  }
}
