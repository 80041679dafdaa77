package io.storagecontroller.workflows.node;

import static org.assertj.core.api.Assertions.assertThat;
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
import io.temporal.client.WorkflowClient;
import io.temporal.client.WorkflowOptions;
import io.temporal.common.WorkflowExecutionHistory;
import io.temporal.failure.ApplicationFailure;
import io.temporal.testing.TestWorkflowEnvironment;
import io.temporal.testing.WorkflowReplayer;
import io.temporal.worker.Worker;
import java.io.File;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.IntStream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class NodeEvacuationWorkflowTest {
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

  long run(long node) {
    return client
        .newWorkflowStub(
            NodeEvacuationWorkflow.class,
            WorkflowOptions.newBuilder()
                .setTaskQueue(TaskQueues.CONTROLLER)
                .setWorkflowId(NodeEvacuationWorkflow.workflowId(node))
                .build())
        .evacuate(node);
  }

  static List<String> tenants(int n) {
    return IntStream.range(0, n).mapToObj(i -> "tenant-" + i).toList();
  }

  @Test
  void reconcilesInBatchesAndRecordsTheOutcome() throws Exception {
    when(activities.plan(eq(7L), anyString())).thenReturn(new EvacuationPlan(42, tenants(40)));
    when(activities.reconcileBatch(eq(42L), anyList()))
        .thenAnswer(inv -> inv.<List<?>>getArgument(1).size());

    assertThat(run(7)).isEqualTo(40);

    verify(activities, times(3)).reconcileBatch(eq(42L), anyList());
    verify(activities).finish(42, 40);
    if (Boolean.getBoolean("histories.record")) {
      WorkflowExecutionHistory history = client.fetchHistory(NodeEvacuationWorkflow.workflowId(7));
      Files.writeString(
          Path.of("src/test/resources/histories/evacuate-forty-tenants.json"),
          history.toJson(true));
    }
  }

  @Test
  void aFailedBatchDoesNotStopTheOthers() {
    when(activities.plan(eq(7L), anyString())).thenReturn(new EvacuationPlan(42, tenants(20)));
    when(activities.reconcileBatch(42L, tenants(16)))
        .thenThrow(ApplicationFailure.newNonRetryableFailure("database down", "Db"));
    when(activities.reconcileBatch(42L, tenants(20).subList(16, 20))).thenReturn(4);

    assertThat(run(7)).isEqualTo(4);
    verify(activities).finish(42, 4);
  }

  @Test
  void nothingToMoveFinishesAtOnce() {
    when(activities.plan(eq(7L), anyString())).thenReturn(new EvacuationPlan(0, List.of()));
    assertThat(run(7)).isZero();
    verify(activities, never()).reconcileBatch(anyLong(), anyList());
  }

  @Test
  void committedHistoryReplays() throws Exception {
    WorkflowReplayer.replayWorkflowExecution(
        new File("src/test/resources/histories/evacuate-forty-tenants.json"),
        NodeEvacuationWorkflowImpl.class);
  }
}
