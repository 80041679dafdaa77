package io.storagecontroller.workflows.split;

import static org.assertj.core.api.Assertions.assertThat;
import static org.mockito.ArgumentMatchers.any;
import static org.mockito.ArgumentMatchers.anyLong;
import static org.mockito.ArgumentMatchers.anyString;
import static org.mockito.ArgumentMatchers.eq;
import static org.mockito.ArgumentMatchers.isNull;
import static org.mockito.Mockito.inOrder;
import static org.mockito.Mockito.mock;
import static org.mockito.Mockito.never;
import static org.mockito.Mockito.verify;
import static org.mockito.Mockito.when;
import static org.mockito.Mockito.withSettings;

import io.storagecontroller.activities.TaskQueues;
import io.storagecontroller.activities.split.ShardSplitActivities;
import io.storagecontroller.activities.split.SplitParent;
import io.storagecontroller.activities.split.SplitPlan;
import io.storagecontroller.activities.split.SplitRequest;
import io.storagecontroller.model.Generation;
import io.storagecontroller.model.NodeId;
import io.storagecontroller.model.TenantId;
import io.storagecontroller.model.TenantShardId;
import io.temporal.client.WorkflowClient;
import io.temporal.client.WorkflowFailedException;
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
import org.mockito.InOrder;

/** The split saga against fake activities: its order, its rollback, its cancel and its resume. */
class ShardSplitWorkflowTest {
  static final TenantId TENANT = TenantId.parse("1f359dd625e519a1a4e8d7509690f6fc");
  static final long OPERATION = 42;
  static final String HISTORY = "src/test/resources/histories/split-two-parents.json";

  static final SplitParent PARENT_0 =
      new SplitParent(
          shard("-0002"), new NodeId(1), Generation.of(3), "{}", List.of(new NodeId(2)));
  static final SplitParent PARENT_1 =
      new SplitParent(
          shard("-0102"), new NodeId(2), Generation.of(5), "{}", List.of(new NodeId(1)));
  static final List<TenantShardId> CHILDREN =
      List.of(shard("-0004"), shard("-0104"), shard("-0204"), shard("-0304"));

  static TenantShardId shard(String suffix) {
    return TenantShardId.parse(TENANT + suffix);
  }

  static final SplitRequest REQUEST = new SplitRequest(OPERATION, TENANT, 4, null, false);
  static final SplitPlan PLAN =
      new SplitPlan(OPERATION, TENANT, 2, 4, 2048, null, List.of(PARENT_0, PARENT_1), CHILDREN);

  TestWorkflowEnvironment env;
  WorkflowClient client;
  ShardSplitActivities activities;

  @BeforeEach
  void setUp() {
    env = TestWorkflowEnvironment.newInstance();
    Worker worker = env.newWorker(TaskQueues.CONTROLLER);
    worker.registerWorkflowImplementationTypes(ShardSplitWorkflowImpl.class);
    activities = mock(ShardSplitActivities.class, withSettings().withoutAnnotations());
    worker.registerActivitiesImplementations(activities);
    client = env.getWorkflowClient();
    env.start();
  }

  @AfterEach
  void tearDown() {
    env.close();
  }

  ShardSplitWorkflow workflow() {
    return client.newWorkflowStub(
        ShardSplitWorkflow.class,
        WorkflowOptions.newBuilder()
            .setTaskQueue(TaskQueues.CONTROLLER)
            .setWorkflowId(ShardSplitWorkflow.workflowId(TENANT))
            .build());
  }

  /** The failure the caller sees: its type and message. */
  static ApplicationFailure failureOf(Throwable thrown) {
    assertThat(thrown).isInstanceOf(WorkflowFailedException.class);
    assertThat(thrown.getCause()).isInstanceOf(ApplicationFailure.class);
    return (ApplicationFailure) thrown.getCause();
  }

  @Test
  void splitsEachParentCommitsOnceThenPlacesAndAnnounces() throws Exception {
    when(activities.begin(REQUEST)).thenReturn(PLAN);
    when(activities.splitOnPageserver(PLAN, PARENT_0)).thenReturn(CHILDREN.subList(0, 2));
    when(activities.splitOnPageserver(PLAN, PARENT_1)).thenReturn(CHILDREN.subList(2, 4));
    when(activities.awaitChildrenReconciled(PLAN)).thenReturn(true);

    assertThat(workflow().split(REQUEST)).isEqualTo(CHILDREN);

    InOrder order = inOrder(activities);
    order.verify(activities).begin(REQUEST);
    order.verify(activities).splitOnPageserver(PLAN, PARENT_0);
    order.verify(activities).splitOnPageserver(PLAN, PARENT_1);
    order.verify(activities).commit(PLAN);
    order.verify(activities).placeChildren(PLAN);
    order.verify(activities).removeParentLocations(PLAN);
    order.verify(activities).awaitChildrenReconciled(PLAN);
    order.verify(activities).notifyCompute(PLAN);
    order.verify(activities).finish(OPERATION, "succeeded", null, "completed");
    verify(activities, never()).rollback(any());
    if (Boolean.getBoolean("histories.record")) {
      WorkflowExecutionHistory history = client.fetchHistory(ShardSplitWorkflow.workflowId(TENANT));
      Files.writeString(Path.of(HISTORY), history.toJson(true));
    }
  }

  @Test
  void aRefusalChangesNothingAndCarriesItsStatus() {
    when(activities.begin(REQUEST))
        .thenThrow(
            ApplicationFailure.newNonRetryableFailure(
                "Cannot split a tenant that is not attached",
                ShardSplitActivities.REFUSED,
                "BAD_REQUEST"));

    ApplicationFailure failure = failureOf(catchThrown(() -> workflow().split(REQUEST)));

    assertThat(failure.getType()).isEqualTo(ShardSplitActivities.REFUSED);
    assertThat(failure.getDetails().get(0, String.class)).isEqualTo("BAD_REQUEST");
    verify(activities)
        .finish(OPERATION, "failed", "Cannot split a tenant that is not attached", "refused");
    verify(activities, never()).rollback(any());
    verify(activities, never()).splitOnPageserver(any(), any());
  }

  @Test
  void aPageserverFailureRollsBackAndRemovesTheChildren() {
    when(activities.begin(REQUEST)).thenReturn(PLAN);
    when(activities.splitOnPageserver(PLAN, PARENT_0)).thenReturn(CHILDREN.subList(0, 2));
    when(activities.splitOnPageserver(PLAN, PARENT_1))
        .thenThrow(ApplicationFailure.newNonRetryableFailure("HTTP 500", "PageserverSplitFailed"));
    when(activities.rollback(PLAN)).thenReturn(false);

    ApplicationFailure failure = failureOf(catchThrown(() -> workflow().split(REQUEST)));

    assertThat(failure.getType()).isEqualTo(ShardSplitWorkflow.FAILED);
    assertThat(failure.getOriginalMessage()).contains("HTTP 500", "rolled back");
    verify(activities, never()).commit(any());
    InOrder order = inOrder(activities);
    order.verify(activities).rollback(PLAN);
    order.verify(activities).removeChildLocations(PLAN);
    order.verify(activities).finish(eq(OPERATION), eq("failed"), anyString(), eq("rolled_back"));
    verify(activities, never()).placeChildren(any());
  }

  @Test
  void aFailingBeginIsUndoneToo() {
    when(activities.begin(REQUEST))
        .thenThrow(ApplicationFailure.newNonRetryableFailure("failpoint", "Failpoint"));
    when(activities.rollback(any())).thenReturn(false);

    ApplicationFailure failure = failureOf(catchThrown(() -> workflow().split(REQUEST)));

    assertThat(failure.getType()).isEqualTo(ShardSplitWorkflow.FAILED);
    verify(activities).rollback(SplitPlan.unstarted(REQUEST));
    verify(activities).finish(eq(OPERATION), eq("failed"), anyString(), eq("rolled_back"));
  }

  @Test
  void cancelStopsBeforeTheNextParentAndRollsBack() {
    when(activities.begin(REQUEST)).thenReturn(PLAN);
    when(activities.splitOnPageserver(PLAN, PARENT_0))
        .thenAnswer(
            invocation -> {
              client
                  .newWorkflowStub(ShardSplitWorkflow.class, ShardSplitWorkflow.workflowId(TENANT))
                  .cancel();
              return CHILDREN.subList(0, 2);
            });
    when(activities.rollback(PLAN)).thenReturn(false);

    ApplicationFailure failure = failureOf(catchThrown(() -> workflow().split(REQUEST)));

    assertThat(failure.getType()).isEqualTo(ShardSplitWorkflow.CANCELLED);
    verify(activities, never()).splitOnPageserver(PLAN, PARENT_1);
    verify(activities, never()).commit(any());
    verify(activities).removeChildLocations(PLAN);
    verify(activities).finish(eq(OPERATION), eq("cancelled"), anyString(), eq("rolled_back"));
  }

  @Test
  void aFailureAfterTheCommitCompletesTheSplit() {
    when(activities.begin(REQUEST)).thenReturn(PLAN);
    when(activities.splitOnPageserver(any(), any())).thenReturn(List.of());
    org.mockito.Mockito.doThrow(
            ApplicationFailure.newNonRetryableFailure("failpoint after commit", "Failpoint"))
        .when(activities)
        .commit(PLAN);
    when(activities.rollback(PLAN)).thenReturn(true);

    assertThat(workflow().split(REQUEST)).isEqualTo(CHILDREN);

    verify(activities, never()).removeChildLocations(any());
    verify(activities).placeChildren(PLAN);
    verify(activities).notifyCompute(PLAN);
    verify(activities).finish(OPERATION, "succeeded", null, "completed");
  }

  @Test
  void aCancelAfterTheCommitIsIgnored() {
    when(activities.begin(REQUEST)).thenReturn(PLAN);
    when(activities.splitOnPageserver(any(), any())).thenReturn(List.of());
    org.mockito.Mockito.doAnswer(
            invocation -> {
              client
                  .newWorkflowStub(ShardSplitWorkflow.class, ShardSplitWorkflow.workflowId(TENANT))
                  .cancel();
              return null;
            })
        .when(activities)
        .placeChildren(PLAN);

    assertThat(workflow().split(REQUEST)).isEqualTo(CHILDREN);
    verify(activities, never()).rollback(any());
  }

  @Test
  void aTenantAlreadySplitIsAnsweredWithItsShards() {
    SplitPlan done = new SplitPlan(OPERATION, TENANT, 4, 4, 0, null, List.of(), CHILDREN);
    when(activities.begin(REQUEST)).thenReturn(done);

    assertThat(workflow().split(REQUEST)).isEqualTo(CHILDREN);
    verify(activities, never()).splitOnPageserver(any(), any());
    verify(activities).finish(OPERATION, "succeeded", null, "completed");
  }

  @Test
  void aResumedSplitOnlyRunsTheStepsAfterTheCommit() {
    SplitRequest resume = new SplitRequest(OPERATION, TENANT, 4, null, true);
    SplitPlan remaining = new SplitPlan(OPERATION, TENANT, 4, 4, 2048, null, List.of(), CHILDREN);
    when(activities.resumePlan(resume)).thenReturn(remaining);

    assertThat(workflow().split(resume)).isEqualTo(CHILDREN);
    verify(activities, never()).begin(any());
    verify(activities, never()).commit(any());
    verify(activities).placeChildren(remaining);
    verify(activities).finish(OPERATION, "succeeded", null, "completed");
    verify(activities, never()).finish(anyLong(), eq("failed"), any(), any());
    verify(activities, never()).finish(anyLong(), eq("succeeded"), isNull(), eq("refused"));
  }

  @Test
  void committedHistoryReplays() throws Exception {
    WorkflowReplayer.replayWorkflowExecution(new File(HISTORY), ShardSplitWorkflowImpl.class);
  }

  static Throwable catchThrown(Runnable call) {
    try {
      call.run();
    } catch (RuntimeException e) {
      return e;
    }
    throw new AssertionError("expected the workflow to fail");
  }
}
