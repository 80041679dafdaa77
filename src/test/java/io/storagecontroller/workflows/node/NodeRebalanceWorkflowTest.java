package io.storagecontroller.workflows.node;

import static org.mockito.ArgumentMatchers.any;
import static org.mockito.ArgumentMatchers.anyInt;
import static org.mockito.ArgumentMatchers.anyList;
import static org.mockito.ArgumentMatchers.anyLong;
import static org.mockito.ArgumentMatchers.anyString;
import static org.mockito.ArgumentMatchers.eq;
import static org.mockito.Mockito.mock;
import static org.mockito.Mockito.never;
import static org.mockito.Mockito.verify;
import static org.mockito.Mockito.when;
import static org.mockito.Mockito.withSettings;

import io.storagecontroller.activities.TaskQueues;
import io.storagecontroller.activities.migration.MigrationActivities;
import io.storagecontroller.activities.migration.MigrationRequest;
import io.storagecontroller.activities.rebalance.BegunMoves;
import io.storagecontroller.activities.rebalance.RebalanceActivities;
import io.storagecontroller.activities.rebalance.RebalanceMove;
import io.storagecontroller.model.NodeId;
import io.storagecontroller.model.TenantShardId;
import io.storagecontroller.workflows.migration.LiveMigrationWorkflowImpl;
import io.temporal.activity.Activity;
import io.temporal.activity.ActivityExecutionContext;
import io.temporal.client.ActivityCompletionException;
import io.temporal.client.WorkflowClient;
import io.temporal.client.WorkflowOptions;
import io.temporal.client.WorkflowStub;
import io.temporal.common.WorkflowExecutionHistory;
import io.temporal.failure.ApplicationFailure;
import io.temporal.testing.TestWorkflowEnvironment;
import io.temporal.testing.WorkflowReplayer;
import io.temporal.worker.Worker;
import io.temporal.worker.WorkerOptions;
import java.io.File;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** Drain and fill rounds with child migrations whose activities are mocks. */
class NodeRebalanceWorkflowTest {
  static final NodeId NODE = new NodeId(7);
  static final NodeId TARGET = new NodeId(8);
  static final TenantShardId SHARD_A = TenantShardId.parse("1f359dd625e519a1a4e8d7509690f6fc-0002");
  static final TenantShardId SHARD_B = TenantShardId.parse("1f359dd625e519a1a4e8d7509690f6fc-0102");
  static final long OPERATION = 42;

  TestWorkflowEnvironment env;
  WorkflowClient client;
  RebalanceActivities rebalance;
  MigrationActivities migration;

  @BeforeEach
  void setUp() {
    env = TestWorkflowEnvironment.newInstance();
    // As the controller's workers (HeartbeatThrottle): a window hears of a cancel within a second.
    Worker worker =
        env.newWorker(
            TaskQueues.CONTROLLER,
            WorkerOptions.newBuilder()
                .setMaxHeartbeatThrottleInterval(Duration.ofSeconds(1))
                .build());
    worker.registerWorkflowImplementationTypes(
        NodeRebalanceWorkflowImpl.class, LiveMigrationWorkflowImpl.class);
    rebalance = mock(RebalanceActivities.class, withSettings().withoutAnnotations());
    migration = mock(MigrationActivities.class, withSettings().withoutAnnotations());
    worker.registerActivitiesImplementations(rebalance, migration);
    client = env.getWorkflowClient();
    env.start();
    when(migration.warmUp(any(), any(), anyLong())).thenReturn(true);
    when(migration.stepDownOrigin(any(), any())).thenReturn(Map.of());
    when(migration.notifyCompute(any(), any())).thenReturn(true);
  }

  @AfterEach
  void tearDown() {
    env.close();
  }

  /** Runs the workflow to its end; returns its first run's id. */
  String run(String kind) {
    NodeRebalanceWorkflow workflow =
        client.newWorkflowStub(
            NodeRebalanceWorkflow.class,
            WorkflowOptions.newBuilder()
                .setTaskQueue(TaskQueues.CONTROLLER)
                .setWorkflowId(NodeRebalanceWorkflow.workflowId(kind, NODE))
                .build());
    WorkflowClient.start(workflow::run, new NodeRebalanceRequest(kind, NODE, OPERATION));
    String firstRun = WorkflowStub.fromTyped(workflow).getExecution().getRunId();
    client
        .newUntypedWorkflowStub(NodeRebalanceWorkflow.workflowId(kind, NODE))
        .getResult(Void.class);
    return firstRun;
  }

  static final String ONE_ROUND_HISTORY =
      "src/test/resources/histories/drain-one-round-per-run.json";

  static final String WINDOW_HISTORY = "src/test/resources/histories/drain-window-as-activity.json";

  static final String CANCELLED_WINDOW_HISTORY =
      "src/test/resources/histories/drain-window-cancelled.json";

  /** A migration as a drain's begin asks for it: its window's end releases its shard. */
  static MigrationRequest request(TenantShardId shard) {
    return new MigrationRequest(
        shard,
        NODE,
        TARGET,
        0,
        true,
        Duration.ofSeconds(30),
        Duration.ofSeconds(5),
        OPERATION,
        false,
        true);
  }

  @Test
  void drainsInRoundsUntilNothingIsLeftAndLeavesTheRestToFinish() throws Exception {
    List<RebalanceMove> moves =
        List.of(new RebalanceMove(SHARD_A, TARGET), new RebalanceMove(SHARD_B, TARGET));
    when(rebalance.plan(NodeRebalanceWorkflow.DRAIN, NODE, NodeRebalanceWorkflowImpl.ROUND))
        .thenReturn(moves)
        .thenReturn(List.of());
    when(rebalance.begin(NodeRebalanceWorkflow.DRAIN, NODE, OPERATION, moves))
        .thenReturn(new BegunMoves(List.of(request(SHARD_A)), 1));
    when(rebalance.migrate(OPERATION, List.of(request(SHARD_A)), false)).thenReturn(1L);

    String firstRun = run(NodeRebalanceWorkflow.DRAIN);

    // The window's migrations run in one activity, no child workflow each.
    verify(migration, never()).stepDownOrigin(any(), any());
    verify(rebalance, never()).migrate(anyLong(), anyList(), eq(true));
    verify(rebalance).advance(OPERATION, 2, List.of(SHARD_A));
    verify(rebalance).finish(NodeRebalanceWorkflow.DRAIN, NODE, OPERATION, "succeeded", null);
    if (Boolean.getBoolean("histories.record")) {
      // The run of the window (the next, after continuing as new, found nothing left).
      WorkflowExecutionHistory history =
          client.fetchHistory(
              NodeRebalanceWorkflow.workflowId(NodeRebalanceWorkflow.DRAIN, NODE), firstRun);
      Files.writeString(Path.of(WINDOW_HISTORY), history.toJson(true));
    }
  }

  @Test
  void aNodeThatChangedStateEndsTheOperationAsFailed() {
    when(rebalance.plan(eq(NodeRebalanceWorkflow.FILL), eq(NODE), anyInt()))
        .thenThrow(
            ApplicationFailure.newNonRetryableFailure(
                "node 7 is no longer Filling but Active", "NodeStateChanged"));

    run(NodeRebalanceWorkflow.FILL);

    verify(rebalance)
        .finish(
            NodeRebalanceWorkflow.FILL,
            NODE,
            OPERATION,
            "failed",
            "node 7 is no longer Filling but Active");
  }

  @Test
  void aRoundInWhichNothingMovesEndsTheOperationInsteadOfLooping() {
    List<RebalanceMove> moves = List.of(new RebalanceMove(SHARD_A, TARGET));
    when(rebalance.plan(eq(NodeRebalanceWorkflow.DRAIN), eq(NODE), anyInt())).thenReturn(moves);
    when(rebalance.begin(NodeRebalanceWorkflow.DRAIN, NODE, OPERATION, moves))
        .thenReturn(new BegunMoves(List.of(request(SHARD_A)), 0));
    // Every move of the window was reverted.
    when(rebalance.migrate(OPERATION, List.of(request(SHARD_A)), false)).thenReturn(0L);

    run(NodeRebalanceWorkflow.DRAIN);

    verify(rebalance)
        .finish(
            eq(NodeRebalanceWorkflow.DRAIN), eq(NODE), eq(OPERATION), eq("failed"), anyString());
    verify(rebalance, never()).advance(anyLong(), eq(1L), anyList());
  }

  @Test
  void aCancelThatOvertakesTheBeginningOfAWindowRevertsTheMigrationsItBegan() {
    List<RebalanceMove> moves = List.of(new RebalanceMove(SHARD_A, TARGET));
    when(rebalance.plan(eq(NodeRebalanceWorkflow.DRAIN), eq(NODE), anyInt())).thenReturn(moves);
    // The cancel is in the history before begin's result: the workflow sees it before it starts
    // the child migration that begin's intents call for.
    when(rebalance.begin(NodeRebalanceWorkflow.DRAIN, NODE, OPERATION, moves))
        .thenAnswer(
            call -> {
              client
                  .newWorkflowStub(
                      NodeRebalanceWorkflow.class,
                      NodeRebalanceWorkflow.workflowId(NodeRebalanceWorkflow.DRAIN, NODE))
                  .cancel();
              return new BegunMoves(List.of(request(SHARD_A)), 0);
            });

    run(NodeRebalanceWorkflow.DRAIN);

    // The window is run wound back from its start: its moves are reverted.
    verify(rebalance).migrate(OPERATION, List.of(request(SHARD_A)), true);
    verify(rebalance, never()).migrate(anyLong(), anyList(), eq(false));
    verify(rebalance).advance(OPERATION, 0, List.of(SHARD_A));
    verify(rebalance).finish(NodeRebalanceWorkflow.DRAIN, NODE, OPERATION, "cancelled", null);
  }

  @Test
  void aCancelReachesTheRunningWindowThroughItsHeartbeatAndItsResultCounts() throws Exception {
    List<RebalanceMove> moves = List.of(new RebalanceMove(SHARD_A, TARGET));
    when(rebalance.plan(eq(NodeRebalanceWorkflow.DRAIN), eq(NODE), anyInt())).thenReturn(moves);
    when(rebalance.begin(NodeRebalanceWorkflow.DRAIN, NODE, OPERATION, moves))
        .thenReturn(new BegunMoves(List.of(request(SHARD_A)), 0));
    // The window warms up until its heartbeat says it was cancelled, then (its move past the point
    // of no return, say) reports one moved.
    when(rebalance.migrate(OPERATION, List.of(request(SHARD_A)), false))
        .thenAnswer(
            call -> {
              client
                  .newWorkflowStub(
                      NodeRebalanceWorkflow.class,
                      NodeRebalanceWorkflow.workflowId(NodeRebalanceWorkflow.DRAIN, NODE))
                  .cancel();
              ActivityExecutionContext context = Activity.getExecutionContext();
              long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
              while (System.nanoTime() < deadline) {
                try {
                  context.heartbeat(null);
                } catch (ActivityCompletionException cancelled) {
                  return 1L;
                }
                Thread.sleep(50);
              }
              throw new AssertionError("the cancel never reached the window");
            });

    String firstRun = run(NodeRebalanceWorkflow.DRAIN);

    verify(rebalance, never()).migrate(anyLong(), anyList(), eq(true));
    verify(rebalance).advance(OPERATION, 1, List.of(SHARD_A));
    verify(rebalance).finish(NodeRebalanceWorkflow.DRAIN, NODE, OPERATION, "cancelled", null);
    if (Boolean.getBoolean("histories.record")) {
      Files.writeString(
          Path.of(CANCELLED_WINDOW_HISTORY),
          client
              .fetchHistory(
                  NodeRebalanceWorkflow.workflowId(NodeRebalanceWorkflow.DRAIN, NODE), firstRun)
              .toJson(true));
    }
  }

  @Test
  void aWindowThatFailsInEveryAttemptIsWoundBackAndItsShardsReleased() {
    List<RebalanceMove> moves = List.of(new RebalanceMove(SHARD_A, TARGET));
    when(rebalance.plan(eq(NodeRebalanceWorkflow.DRAIN), eq(NODE), anyInt()))
        .thenReturn(moves)
        .thenReturn(List.of());
    when(rebalance.begin(NodeRebalanceWorkflow.DRAIN, NODE, OPERATION, moves))
        .thenReturn(new BegunMoves(List.of(request(SHARD_A)), 0));
    when(rebalance.migrate(OPERATION, List.of(request(SHARD_A)), false))
        .thenThrow(ApplicationFailure.newNonRetryableFailure("broken", "Broken"));
    when(rebalance.migrate(OPERATION, List.of(request(SHARD_A)), true)).thenReturn(1L);

    run(NodeRebalanceWorkflow.DRAIN);

    verify(rebalance).advance(OPERATION, 1, List.of(SHARD_A));
    verify(rebalance).finish(NodeRebalanceWorkflow.DRAIN, NODE, OPERATION, "succeeded", null);
  }

  @Test
  void nothingToMoveSucceedsAtOnce() {
    when(rebalance.plan(anyString(), any(), anyInt())).thenReturn(List.of());
    run(NodeRebalanceWorkflow.FILL);
    verify(rebalance, never()).begin(anyString(), any(), anyLong(), anyList());
    verify(rebalance).finish(NodeRebalanceWorkflow.FILL, NODE, OPERATION, "succeeded", null);
  }

  @Test
  void committedHistoryReplays() throws Exception {
    WorkflowReplayer.replayWorkflowExecution(
        new File(WINDOW_HISTORY), NodeRebalanceWorkflowImpl.class);
    WorkflowReplayer.replayWorkflowExecution(
        new File(CANCELLED_WINDOW_HISTORY), NodeRebalanceWorkflowImpl.class);
    WorkflowReplayer.replayWorkflowExecution(
        new File(ONE_ROUND_HISTORY),
        NodeRebalanceWorkflowImpl.class,
        LiveMigrationWorkflowImpl.class);
    WorkflowReplayer.replayWorkflowExecution(
        new File("src/test/resources/histories/drain-two-shards.json"),
        NodeRebalanceWorkflowImpl.class,
        LiveMigrationWorkflowImpl.class);
  }
}
