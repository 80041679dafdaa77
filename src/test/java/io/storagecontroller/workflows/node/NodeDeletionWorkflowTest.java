package io.storagecontroller.workflows.node;

import static org.mockito.ArgumentMatchers.anyList;
import static org.mockito.ArgumentMatchers.anyLong;
import static org.mockito.ArgumentMatchers.eq;
import static org.mockito.Mockito.mock;
import static org.mockito.Mockito.never;
import static org.mockito.Mockito.times;
import static org.mockito.Mockito.verify;
import static org.mockito.Mockito.when;
import static org.mockito.Mockito.withSettings;

import io.storagecontroller.activities.TaskQueues;
import io.storagecontroller.activities.node.NodeDeletionActivities;
import io.storagecontroller.model.NodeId;
import io.storagecontroller.model.NodeSchedulingPolicy;
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
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class NodeDeletionWorkflowTest {
  static final NodeId NODE = new NodeId(7);
  static final String HISTORY = "src/test/resources/histories/delete-node-forty-tenants.json";

  TestWorkflowEnvironment env;
  WorkflowClient client;
  NodeDeletionActivities activities;

  @BeforeEach
  void setUp() {
    env = TestWorkflowEnvironment.newInstance();
    Worker worker = env.newWorker(TaskQueues.CONTROLLER);
    worker.registerWorkflowImplementationTypes(NodeDeletionWorkflowImpl.class);
    activities = mock(NodeDeletionActivities.class, withSettings().withoutAnnotations());
    worker.registerActivitiesImplementations(activities);
    client = env.getWorkflowClient();
    env.start();
  }

  @AfterEach
  void tearDown() {
    env.close();
  }

  void run(boolean force) {
    client
        .newWorkflowStub(
            NodeDeletionWorkflow.class,
            WorkflowOptions.newBuilder()
                .setTaskQueue(TaskQueues.CONTROLLER)
                .setWorkflowId(NodeDeletionWorkflow.workflowId(NODE))
                .build())
        .run(new NodeDeletionRequest(NODE, 42, NodeSchedulingPolicy.ACTIVE, force));
  }

  @Test
  void reschedulesReconcilesInBatchesAndFinishes() throws Exception {
    when(activities.reschedule(NODE)).thenReturn(NodeEvacuationWorkflowTest.tenants(40));
    when(activities.reconcileBatch(eq(42L), anyList()))
        .thenAnswer(inv -> inv.<List<?>>getArgument(1).size());

    run(false);

    verify(activities, times(3)).reconcileBatch(eq(42L), anyList());
    verify(activities).finish(NODE, 42, "succeeded", null, NodeSchedulingPolicy.ACTIVE);
    if (Boolean.getBoolean("histories.record")) {
      WorkflowExecutionHistory history = client.fetchHistory(NodeDeletionWorkflow.workflowId(NODE));
      Files.writeString(Path.of(HISTORY), history.toJson(true));
    }
  }

  @Test
  void forceSkipsTheReconciles() {
    when(activities.reschedule(NODE)).thenReturn(NodeEvacuationWorkflowTest.tenants(5));
    run(true);
    verify(activities, never()).reconcileBatch(anyLong(), anyList());
    verify(activities).finish(NODE, 42, "succeeded", null, NodeSchedulingPolicy.ACTIVE);
  }

  @Test
  void aStepThatFailsForGoodFailsTheDeletionAndGivesThePolicyBack() {
    when(activities.reschedule(NODE))
        .thenThrow(ApplicationFailure.newNonRetryableFailure("shard pinned", "ShardPinned"));
    run(false);
    verify(activities)
        .finish(
            eq(NODE), eq(42L), eq("failed"), eq("shard pinned"), eq(NodeSchedulingPolicy.ACTIVE));
  }

  @Test
  void committedHistoryReplays() throws Exception {
    WorkflowReplayer.replayWorkflowExecution(new File(HISTORY), NodeDeletionWorkflowImpl.class);
  }
}
