package io.storagecontroller.workflows.startup;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.mockito.ArgumentMatchers.any;
import static org.mockito.ArgumentMatchers.anyList;
import static org.mockito.ArgumentMatchers.anyString;
import static org.mockito.ArgumentMatchers.eq;
import static org.mockito.Mockito.doAnswer;
import static org.mockito.Mockito.mock;
import static org.mockito.Mockito.never;
import static org.mockito.Mockito.times;
import static org.mockito.Mockito.verify;
import static org.mockito.Mockito.when;
import static org.mockito.Mockito.withSettings;

import io.storagecontroller.activities.TaskQueues;
import io.storagecontroller.activities.startup.NodeScan;
import io.storagecontroller.activities.startup.StartupActivities;
import io.storagecontroller.model.NodeId;
import io.storagecontroller.model.TenantId;
import io.temporal.client.WorkflowClient;
import io.temporal.client.WorkflowFailedException;
import io.temporal.client.WorkflowOptions;
import io.temporal.client.WorkflowStub;
import io.temporal.common.WorkflowExecutionHistory;
import io.temporal.failure.ApplicationFailure;
import io.temporal.testing.TestEnvironmentOptions;
import io.temporal.testing.TestWorkflowEnvironment;
import io.temporal.worker.Worker;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.stream.IntStream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class StartupReconcileWorkflowTest {
  static final String BOOT = "boot-1";

  /**
   * The recorded history of the three-node start-up: replayed by the replay test, and by the
   * controller to warm its workflow code up (WorkflowWarmUp).
   */
  static final String LOCAL_HISTORY = "src/main/resources/warm-up/startup.json";

  TestWorkflowEnvironment env;
  WorkflowClient client;
  StartupActivities activities;

  @BeforeEach
  void setUp() {
    env = TestWorkflowEnvironment.newInstance();
    Worker worker = env.newWorker(TaskQueues.CONTROLLER);
    worker.registerWorkflowImplementationTypes(StartupReconcileWorkflowImpl.class);
    activities = mock(StartupActivities.class, withSettings().withoutAnnotations());
    worker.registerActivitiesImplementations(activities);
    client = env.getWorkflowClient();
    env.start();
  }

  @AfterEach
  void tearDown() {
    env.close();
  }

  StartupSummary run() {
    return client
        .newWorkflowStub(
            StartupReconcileWorkflow.class,
            WorkflowOptions.newBuilder()
                .setTaskQueue(TaskQueues.CONTROLLER)
                .setWorkflowId(StartupReconcileWorkflow.workflowId(BOOT))
                .build())
        .run(BOOT);
  }

  /** Tenant ids as the recorded histories have them. */
  static List<TenantId> tenants(int n) {
    return IntStream.range(0, n)
        .mapToObj(i -> TenantId.parse(String.format("%030x%02x", FIRST_TENANT, i)))
        .toList();
  }

  static final java.math.BigInteger FIRST_TENANT =
      new java.math.BigInteger("1f359dd625e519a1a4e8d7509690", 16);

  static NodeId node(long id) {
    return new NodeId(id);
  }

  @Test
  void scansEveryNodeReconcilesReportsReadyThenNotifiesInBatches() throws Exception {
    when(activities.nodesToScan(BOOT)).thenReturn(List.of(node(1), node(2), node(3)));
    when(activities.scanNode(eq(BOOT), any()))
        .thenAnswer(
            inv ->
                new NodeScan(
                    inv.getArgument(1), 10, inv.<NodeId>getArgument(1).value() == 3 ? 2 : 0));
    when(activities.reconcileDirty(BOOT)).thenReturn(4);
    when(activities.tenantsToNotify(BOOT)).thenReturn(tenants(130));

    StartupSummary summary = run();

    assertThat(summary).isEqualTo(new StartupSummary(3, 3, 30, 2, 4, 130));
    verify(activities).markReady(BOOT);
    verify(activities, times(3)).notifyComputes(eq(BOOT), anyList());
    verify(activities).detachStrays(BOOT, node(3));
    verify(activities, never()).detachStrays(BOOT, node(1));
    if (Boolean.getBoolean("histories.record")) {
      WorkflowExecutionHistory history =
          client.fetchHistory(StartupReconcileWorkflow.workflowId(BOOT));
      Files.writeString(Path.of(LOCAL_HISTORY), history.toJson(true));
    }
  }

  @Test
  void aNodeThatCannotBeScannedDoesNotHoldUpReadiness() {
    when(activities.nodesToScan(BOOT)).thenReturn(List.of(node(1), node(2)));
    when(activities.scanNode(BOOT, node(1))).thenReturn(new NodeScan(node(1), 5, 0));
    when(activities.scanNode(BOOT, node(2)))
        .thenThrow(new IllegalStateException("connection refused"));
    when(activities.tenantsToNotify(BOOT)).thenReturn(List.of());

    StartupSummary summary = run();

    assertThat(summary.nodesScanned()).isEqualTo(1);
    verify(activities, times(5)).scanNode(BOOT, node(2));
    verify(activities).markReady(BOOT);
  }

  /**
   * A node that hangs holds readiness up until the scan deadline and no longer. On the real clock,
   * as at start-up: the scans are local activities, which the service's time skipping does not see.
   */
  @Test
  void aNodeThatHangsHoldsUpReadinessOnlyUntilTheScanDeadline() throws Exception {
    TestWorkflowEnvironment realClock =
        TestWorkflowEnvironment.newInstance(
            TestEnvironmentOptions.newBuilder().setUseTimeskipping(false).build());
    try {
      Worker worker = realClock.newWorker(TaskQueues.CONTROLLER);
      worker.registerWorkflowImplementationTypes(StartupReconcileWorkflowImpl.class);
      StartupActivities hung = mock(StartupActivities.class, withSettings().withoutAnnotations());
      CountDownLatch never = new CountDownLatch(1);
      when(hung.nodesToScan(BOOT)).thenReturn(List.of(node(1), node(2)));
      // A scan slower than the list call's own 5 s timeout (reading tens of thousands of
      // locations on a busy machine) runs to its end, once.
      when(hung.scanNode(BOOT, node(1)))
          .thenAnswer(
              inv -> {
                Thread.sleep(6_000);
                return new NodeScan(node(1), 5, 0);
              });
      when(hung.scanNode(BOOT, node(2)))
          .thenAnswer(
              inv -> {
                never.await();
                return null;
              });
      when(hung.tenantsToNotify(BOOT)).thenReturn(List.of());
      Instant started = Instant.now();
      CompletableFuture<Duration> ready = new CompletableFuture<>();
      doAnswer(inv -> ready.complete(Duration.between(started, Instant.now())))
          .when(hung)
          .markReady(BOOT);
      worker.registerActivitiesImplementations(hung);
      realClock.start();
      StartupReconcileWorkflow workflow =
          realClock
              .getWorkflowClient()
              .newWorkflowStub(
                  StartupReconcileWorkflow.class,
                  WorkflowOptions.newBuilder()
                      .setTaskQueue(TaskQueues.CONTROLLER)
                      .setWorkflowId(StartupReconcileWorkflow.workflowId(BOOT))
                      .build());
      WorkflowClient.start(workflow::run, BOOT);

      Duration toReady = ready.get(60, TimeUnit.SECONDS);
      // The deadline plus slack for a loaded machine; without the scan's own bound it was 24 s.
      assertThat(toReady).isLessThan(StartupReconcileWorkflowImpl.SCAN_DEADLINE.plusSeconds(5));
      verify(hung).reconcileDirty(BOOT);
      StartupSummary summary =
          WorkflowStub.fromTyped(workflow).getResult(30, TimeUnit.SECONDS, StartupSummary.class);
      assertThat(summary.nodesScanned()).isEqualTo(1);
      verify(hung, times(1)).scanNode(BOOT, node(1));
    } finally {
      realClock.shutdownNow();
    }
  }

  @Test
  void aFailedNotificationBatchDoesNotStopTheOthers() {
    when(activities.nodesToScan(BOOT)).thenReturn(List.of());
    when(activities.tenantsToNotify(BOOT)).thenReturn(tenants(100));
    org.mockito.Mockito.doThrow(
            ApplicationFailure.newNonRetryableFailure("hook down", "ComputeHook"))
        .when(activities)
        .notifyComputes(eq(BOOT), eq(tenants(64)));

    StartupSummary summary = run();

    assertThat(summary.notified()).isEqualTo(36);
    verify(activities).markReady(BOOT);
  }

  @Test
  void aWorkflowOfAnotherBootMarksNothingReady() {
    when(activities.nodesToScan(anyString()))
        .thenThrow(ApplicationFailure.newNonRetryableFailure("not this boot", "StaleBoot"));
    assertThatThrownBy(this::run).isInstanceOf(WorkflowFailedException.class);
    verify(activities, never()).markReady(anyString());
  }
}
