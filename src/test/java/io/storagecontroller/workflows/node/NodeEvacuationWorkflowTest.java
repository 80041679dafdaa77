package io.storagecontroller.workflows.node;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.mockito.ArgumentMatchers.anyList;
import static org.mockito.ArgumentMatchers.anyLong;
import static org.mockito.ArgumentMatchers.anyString;
import static org.mockito.ArgumentMatchers.eq;
import static org.mockito.Mockito.mock;
import static org.mockito.Mockito.never;
import static org.mockito.Mockito.times;
import static org.mockito.Mockito.verify;
import static org.mockito.Mockito.when;
import static org.mockito.Mockito.withSettings;

import io.storagecontroller.activities.TaskQueues;
import io.storagecontroller.activities.node.EvacuationActivities;
import io.storagecontroller.activities.node.EvacuationPlan;
import io.storagecontroller.model.NodeId;
import io.storagecontroller.model.TenantId;
import io.temporal.client.WorkflowClient;
import io.temporal.client.WorkflowFailedException;
import io.temporal.client.WorkflowOptions;
import io.temporal.common.WorkflowExecutionHistory;
import io.temporal.failure.ApplicationFailure;
import io.temporal.testing.TestWorkflowEnvironment;
import io.temporal.testing.WorkflowReplayer;
import io.temporal.worker.Worker;
import java.io.File;
import java.math.BigInteger;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.stream.IntStream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class NodeEvacuationWorkflowTest {
  static final NodeId NODE = new NodeId(7);

  /** The first tenant id of the recorded history, without its last byte. */
  static final BigInteger FIRST_TENANT = new BigInteger("1f359dd625e519a1a4e8d7509690", 16);

  TestWorkflowEnvironment env;
  WorkflowClient client;
  EvacuationActivities activities;

  @BeforeEach
  void setUp() {
    env = TestWorkflowEnvironment.newInstance();
    Worker worker = env.newWorker(TaskQueues.CONTROLLER);
    worker.registerWorkflowImplementationTypes(NodeEvacuationWorkflowImpl.class);
    activities = mock(EvacuationActivities.class, withSettings().withoutAnnotations());
    worker.registerActivitiesImplementations(activities);
    client = env.getWorkflowClient();
    env.start();
  }

  @AfterEach
  void tearDown() {
    env.close();
  }

  long run(NodeId node) {
    return client
        .newWorkflowStub(
            NodeEvacuationWorkflow.class,
            WorkflowOptions.newBuilder()
                .setTaskQueue(TaskQueues.CONTROLLER)
                .setWorkflowId(NodeEvacuationWorkflow.workflowId(node))
                .build())
        .evacuate(node);
  }

  /** Tenant ids as the recorded history has them. */
  static List<TenantId> tenants(int n) {
    return IntStream.range(0, n)
        .mapToObj(
            i ->
                TenantId.parse(
                    String.format("%032x", FIRST_TENANT.shiftLeft(8).add(BigInteger.valueOf(i)))))
        .toList();
  }

  @Test
  void reconcilesInBatchesAndRecordsTheOutcome() throws Exception {
    when(activities.plan(eq(NODE), anyString())).thenReturn(new EvacuationPlan(42, tenants(150)));
    when(activities.reconcileBatch(eq(42L), anyList()))
        .thenAnswer(inv -> inv.<List<?>>getArgument(1).size());

    assertThat(run(NODE)).isEqualTo(150);

    // 64, 64 and 22 tenants.
    verify(activities, times(3)).reconcileBatch(eq(42L), anyList());
    verify(activities).reconcileBatch(42L, tenants(150).subList(128, 150));
    verify(activities).finish(42, 150);
    if (Boolean.getBoolean("histories.record")) {
      WorkflowExecutionHistory history =
          client.fetchHistory(NodeEvacuationWorkflow.workflowId(NODE));
      Files.writeString(Path.of(BATCHES_OF_64_HISTORY), history.toJson(true));
    }
  }

  /**
   * A slow batch does not hold the window: the batches after it start as others finish. The first
   * batch answers only once the last of six has started (with four in flight, the last can start
   * only if the window refilled past the first); it gives up after 20 s and reports nothing done.
   */
  @Test
  void aSlowBatchDoesNotHoldTheWindow() throws Exception {
    List<TenantId> tenants = tenants(384);
    List<TenantId> first = tenants.subList(0, 64);
    List<TenantId> last = tenants.subList(320, 384);
    CountDownLatch lastStarted = new CountDownLatch(1);
    when(activities.plan(eq(NODE), anyString())).thenReturn(new EvacuationPlan(42, tenants));
    when(activities.reconcileBatch(eq(42L), anyList()))
        .thenAnswer(
            inv -> {
              List<?> batch = inv.getArgument(1);
              if (batch.equals(last)) {
                lastStarted.countDown();
              }
              if (batch.equals(first) && !lastStarted.await(20, TimeUnit.SECONDS)) {
                return 0;
              }
              return batch.size();
            });

    assertThat(run(NODE)).isEqualTo(384);

    verify(activities).finish(42, 384);
    if (Boolean.getBoolean("histories.record")) {
      WorkflowExecutionHistory history =
          client.fetchHistory(NodeEvacuationWorkflow.workflowId(NODE));
      Files.writeString(Path.of(SLOW_BATCH_OF_64_HISTORY), history.toJson(true));
    }
  }

  static final String SLOW_BATCH_HISTORY =
      "src/test/resources/histories/evacuate-slow-first-batch.json";

  static final String FAILED_PLAN_HISTORY =
      "src/test/resources/histories/evacuate-failed-plan.json";

  static final String BATCHES_OF_64_HISTORY =
      "src/test/resources/histories/evacuate-150-tenants-in-batches-of-64.json";

  static final String SLOW_BATCH_OF_64_HISTORY =
      "src/test/resources/histories/evacuate-slow-first-batch-of-64.json";

  @Test
  void aFailedBatchDoesNotStopTheOthers() {
    when(activities.plan(eq(NODE), anyString())).thenReturn(new EvacuationPlan(42, tenants(80)));
    when(activities.reconcileBatch(42L, tenants(64)))
        .thenThrow(ApplicationFailure.newNonRetryableFailure("database down", "Db"));
    when(activities.reconcileBatch(42L, tenants(80).subList(64, 80))).thenReturn(16);

    assertThat(run(NODE)).isEqualTo(16);
    verify(activities).finish(42, 16);
  }

  /** A plan that fails gives up the operation it may have started, and the workflow fails. */
  @Test
  void aFailedPlanGivesUpItsOperation() throws Exception {
    when(activities.plan(eq(NODE), anyString()))
        .thenThrow(ApplicationFailure.newNonRetryableFailure("database down", "Db"));

    assertThatThrownBy(() -> run(NODE)).isInstanceOf(WorkflowFailedException.class);

    verify(activities).abandon(NODE, NodeEvacuationWorkflow.workflowId(NODE), "database down");
    verify(activities, never()).reconcileBatch(anyLong(), anyList());
    if (Boolean.getBoolean("histories.record")) {
      WorkflowExecutionHistory history =
          client.fetchHistory(NodeEvacuationWorkflow.workflowId(NODE));
      Files.writeString(Path.of(FAILED_PLAN_HISTORY), history.toJson(true));
    }
  }

  /**
   * A run whose plan failed and gave up its operation (the {@code abandon-failed-plan} version).
   */
  @Test
  void committedHistoryOfAFailedPlanReplays() throws Exception {
    WorkflowReplayer.replayWorkflowExecution(
        new File(FAILED_PLAN_HISTORY), NodeEvacuationWorkflowImpl.class);
  }

  @Test
  void nothingToMoveFinishesAtOnce() {
    when(activities.plan(eq(NODE), anyString())).thenReturn(new EvacuationPlan(0, List.of()));
    assertThat(run(NODE)).isZero();
    verify(activities, never()).reconcileBatch(anyLong(), anyList());
  }

  @Test
  void committedHistoryReplays() throws Exception {
    WorkflowReplayer.replayWorkflowExecution(
        new File("src/test/resources/histories/evacuate-forty-tenants.json"),
        NodeEvacuationWorkflowImpl.class);
  }

  /** A run in batches of 64 (the {@code batches-of-64} version). */
  @Test
  void committedHistoryInBatchesOf64Replays() throws Exception {
    WorkflowReplayer.replayWorkflowExecution(
        new File(BATCHES_OF_64_HISTORY), NodeEvacuationWorkflowImpl.class);
    WorkflowReplayer.replayWorkflowExecution(
        new File(SLOW_BATCH_OF_64_HISTORY), NodeEvacuationWorkflowImpl.class);
  }

  /** A run whose window refilled past a slow batch (the {@code refill-on-any} version). */
  @Test
  void committedHistoryOfARefilledWindowReplays() throws Exception {
    WorkflowReplayer.replayWorkflowExecution(
        new File(SLOW_BATCH_HISTORY), NodeEvacuationWorkflowImpl.class);
  }
}
