package io.storagecontroller.workflows.migration;

import static org.assertj.core.api.Assertions.assertThat;
import static org.mockito.ArgumentMatchers.any;
import static org.mockito.ArgumentMatchers.anyLong;
import static org.mockito.ArgumentMatchers.anyMap;
import static org.mockito.ArgumentMatchers.anyString;
import static org.mockito.ArgumentMatchers.eq;
import static org.mockito.Mockito.doThrow;
import static org.mockito.Mockito.inOrder;
import static org.mockito.Mockito.mock;
import static org.mockito.Mockito.never;
import static org.mockito.Mockito.verify;
import static org.mockito.Mockito.when;
import static org.mockito.Mockito.withSettings;

import io.storagecontroller.activities.TaskQueues;
import io.storagecontroller.activities.migration.MigrationActivities;
import io.storagecontroller.activities.migration.MigrationRequest;
import io.storagecontroller.model.Lsn;
import io.storagecontroller.model.NodeId;
import io.storagecontroller.model.TenantShardId;
import io.storagecontroller.model.TimelineId;
import io.temporal.client.WorkflowClient;
import io.temporal.client.WorkflowOptions;
import io.temporal.client.WorkflowStub;
import io.temporal.common.WorkflowExecutionHistory;
import io.temporal.failure.ApplicationFailure;
import io.temporal.testing.TestWorkflowEnvironment;
import io.temporal.testing.WorkflowReplayer;
import io.temporal.worker.Worker;
import java.io.File;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.mockito.InOrder;

/** The migration's step order, and a failure or cancel injected at each step. */
class LiveMigrationWorkflowTest {
  static final TenantShardId SHARD = TenantShardId.parse("1f359dd625e519a1a4e8d7509690f6fc");
  static final NodeId ORIGIN = new NodeId(1);
  static final NodeId DESTINATION = new NodeId(2);
  static final long OPERATION = 9;
  static final Map<TimelineId, Lsn> BASELINE =
      Map.of(TimelineId.parse("de200bd42b49cc1814412c7e592dd6e9"), Lsn.parse("0/169AD58"));

  TestWorkflowEnvironment env;
  WorkflowClient client;
  MigrationActivities activities;

  @BeforeEach
  void setUp() {
    env = TestWorkflowEnvironment.newInstance();
    Worker worker = env.newWorker(TaskQueues.CONTROLLER);
    worker.registerWorkflowImplementationTypes(LiveMigrationWorkflowImpl.class);
    activities = mock(MigrationActivities.class, withSettings().withoutAnnotations());
    worker.registerActivitiesImplementations(activities);
    client = env.getWorkflowClient();
    env.start();
    when(activities.warmUp(eq(SHARD), eq(DESTINATION), anyLong())).thenReturn(true);
    when(activities.stepDownOrigin(SHARD, ORIGIN)).thenReturn(BASELINE);
    when(activities.caughtUp(SHARD, DESTINATION, BASELINE)).thenReturn(true);
    when(activities.notifyCompute(SHARD, ORIGIN)).thenReturn(true);
  }

  @AfterEach
  void tearDown() {
    env.close();
  }

  LiveMigrationWorkflow stub() {
    return client.newWorkflowStub(
        LiveMigrationWorkflow.class,
        WorkflowOptions.newBuilder()
            .setTaskQueue(TaskQueues.CONTROLLER)
            .setWorkflowId(LiveMigrationWorkflow.workflowId(SHARD))
            .build());
  }

  static MigrationRequest request() {
    return new MigrationRequest(
        SHARD,
        ORIGIN,
        DESTINATION,
        OPERATION,
        true,
        Duration.ofSeconds(30),
        Duration.ofSeconds(5),
        OPERATION);
  }

  static ApplicationFailure refused(String what) {
    return ApplicationFailure.newNonRetryableFailure(what + " refused", "PageserverRefused");
  }

  @Test
  void stepsRunInNeonsLiveMigrationOrder() throws Exception {
    assertThat(stub().migrate(request())).isEqualTo(MigrationOutcome.COMPLETED);

    InOrder order = inOrder(activities);
    order.verify(activities).prepareDestination(SHARD, DESTINATION);
    order.verify(activities).warmUp(eq(SHARD), eq(DESTINATION), eq(5000L));
    order.verify(activities).stepDownOrigin(SHARD, ORIGIN);
    order.verify(activities).attachDestination(SHARD, DESTINATION);
    order.verify(activities).caughtUp(SHARD, DESTINATION, BASELINE);
    order.verify(activities).notifyCompute(SHARD, ORIGIN);
    order.verify(activities).demoteOrigin(SHARD, ORIGIN);
    order.verify(activities).finalizeDestination(SHARD, DESTINATION);
    order.verify(activities).finish(SHARD, OPERATION, OPERATION, "succeeded", null);
    verify(activities, never()).revert(any(), any(), any());
    if (Boolean.getBoolean("histories.record")) {
      WorkflowExecutionHistory history =
          client.fetchHistory(LiveMigrationWorkflow.workflowId(SHARD));
      Files.writeString(
          Path.of("src/test/resources/histories/migrate-one-shard-local.json"),
          history.toJson(true));
    }
  }

  @Test
  void withoutPrewarmTheDestinationIsNotWarmed() {
    MigrationRequest cold =
        new MigrationRequest(
            SHARD, ORIGIN, DESTINATION, 0, false, Duration.ofSeconds(30), Duration.ofSeconds(5), 0);
    assertThat(stub().migrate(cold)).isEqualTo(MigrationOutcome.COMPLETED);
    verify(activities, never()).prepareDestination(any(), any());
    verify(activities, never()).warmUp(any(), any(), anyLong());
    verify(activities, never()).phase(anyLong(), anyString());
    verify(activities).finish(SHARD, 0, 0, "succeeded", null);
  }

  @ParameterizedTest
  @ValueSource(strings = {"prepareDestination", "stepDownOrigin", "attachDestination"})
  void aFailureBeforeTheDestinationHoldsAGenerationGivesTheShardBackToTheOrigin(String step) {
    failAt(step);
    when(activities.destinationHoldsGeneration(SHARD, DESTINATION)).thenReturn(false);

    assertThat(stub().migrate(request())).isEqualTo(MigrationOutcome.FAILED);

    verify(activities).revert(SHARD, ORIGIN, DESTINATION);
    verify(activities)
        .finish(eq(SHARD), eq(OPERATION), eq(OPERATION), eq("failed"), eq(step + " refused"));
    verify(activities, never()).finalizeDestination(any(), any());
  }

  @ParameterizedTest
  @ValueSource(
      strings = {
        "attachDestination",
        "caughtUp",
        "notifyCompute",
        "demoteOrigin",
        "finalizeDestination"
      })
  void aFailureAfterTheDestinationHoldsAGenerationIsLeftToTheReconcileToComplete(String step) {
    failAt(step);
    when(activities.destinationHoldsGeneration(SHARD, DESTINATION)).thenReturn(true);

    assertThat(stub().migrate(request())).isEqualTo(MigrationOutcome.FAILED);

    verify(activities, never()).revert(any(), any(), any());
    verify(activities)
        .finish(eq(SHARD), eq(OPERATION), eq(OPERATION), eq("failed"), eq(step + " refused"));
  }

  @Test
  void aCancelDuringWarmUpRevertsWithoutAttachingTheDestination() throws Exception {
    CountDownLatch warming = new CountDownLatch(1);
    when(activities.warmUp(eq(SHARD), eq(DESTINATION), anyLong()))
        .thenAnswer(
            inv -> {
              warming.countDown();
              Thread.sleep(20);
              return false;
            });
    LiveMigrationWorkflow workflow = stub();
    WorkflowClient.start(workflow::migrate, request());
    assertThat(warming.await(30, TimeUnit.SECONDS)).isTrue();
    workflow.cancel();

    assertThat(WorkflowStub.fromTyped(workflow).getResult(MigrationOutcome.class))
        .isEqualTo(MigrationOutcome.REVERTED);
    verify(activities, never()).attachDestination(any(), any());
    verify(activities).revert(SHARD, ORIGIN, DESTINATION);
    verify(activities).finish(SHARD, OPERATION, OPERATION, "cancelled", null);
  }

  @Test
  void aCancelAfterTheDestinationHoldsAGenerationCompletesTheMigration() throws Exception {
    CountDownLatch waiting = new CountDownLatch(1);
    when(activities.caughtUp(SHARD, DESTINATION, BASELINE))
        .thenAnswer(
            inv -> {
              waiting.countDown();
              return false;
            });
    LiveMigrationWorkflow workflow = stub();
    WorkflowClient.start(workflow::migrate, request());
    assertThat(waiting.await(30, TimeUnit.SECONDS)).isTrue();
    workflow.cancel();

    assertThat(WorkflowStub.fromTyped(workflow).getResult(MigrationOutcome.class))
        .isEqualTo(MigrationOutcome.COMPLETED);
    verify(activities, never()).revert(any(), any(), any());
    // Tried once without waiting: what is not delivered stays pending for the sweep.
    verify(activities).notifyCompute(SHARD, ORIGIN);
    verify(activities).demoteOrigin(SHARD, ORIGIN);
    verify(activities).finalizeDestination(SHARD, DESTINATION);
    if (Boolean.getBoolean("histories.record")) {
      Files.writeString(
          Path.of("src/test/resources/histories/migrate-cancelled-past-no-return.json"),
          client.fetchHistory(LiveMigrationWorkflow.workflowId(SHARD)).toJson(true));
    }
  }

  /** A cancel past the point of no return under {@code notify-when-cancelled}: notified once. */
  @Test
  void committedHistoryOfACancelPastThePointOfNoReturnReplays() throws Exception {
    WorkflowReplayer.replayWorkflowExecution(
        new File("src/test/resources/histories/migrate-cancelled-past-no-return.json"),
        LiveMigrationWorkflowImpl.class);
  }

  @Test
  void aComputeHookThatNeverAnswersDoesNotHoldTheMigrationForever() {
    when(activities.notifyCompute(SHARD, ORIGIN)).thenReturn(false);
    assertThat(stub().migrate(request())).isEqualTo(MigrationOutcome.COMPLETED);
    verify(activities).finalizeDestination(SHARD, DESTINATION);
  }

  @Test
  void committedHistoryWithLocalActivitiesReplays() throws Exception {
    WorkflowReplayer.replayWorkflowExecution(
        new File("src/test/resources/histories/migrate-one-shard-local.json"),
        LiveMigrationWorkflowImpl.class);
  }

  /** Recorded before the steps became local activities: such runs still complete as they began. */
  @Test
  void committedHistoryReplays() throws Exception {
    WorkflowReplayer.replayWorkflowExecution(
        new File("src/test/resources/histories/migrate-one-shard.json"),
        LiveMigrationWorkflowImpl.class);
  }

  private void failAt(String step) {
    ApplicationFailure failure = refused(step);
    switch (step) {
      case "prepareDestination" ->
          doThrow(failure).when(activities).prepareDestination(SHARD, DESTINATION);
      case "stepDownOrigin" -> when(activities.stepDownOrigin(SHARD, ORIGIN)).thenThrow(failure);
      case "attachDestination" ->
          doThrow(failure).when(activities).attachDestination(SHARD, DESTINATION);
      case "caughtUp" ->
          when(activities.caughtUp(eq(SHARD), eq(DESTINATION), anyMap())).thenThrow(failure);
      case "notifyCompute" -> when(activities.notifyCompute(SHARD, ORIGIN)).thenThrow(failure);
      case "demoteOrigin" -> doThrow(failure).when(activities).demoteOrigin(SHARD, ORIGIN);
      case "finalizeDestination" ->
          doThrow(failure).when(activities).finalizeDestination(SHARD, DESTINATION);
      default -> throw new IllegalArgumentException(step);
    }
  }
}
