package io.storagecontroller.temporal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.temporal.activity.ActivityInterface;
import io.temporal.activity.ActivityOptions;
import io.temporal.api.enums.v1.WorkflowExecutionStatus;
import io.temporal.client.WorkflowClient;
import io.temporal.client.WorkflowNotFoundException;
import io.temporal.client.WorkflowOptions;
import io.temporal.client.WorkflowStub;
import io.temporal.internal.testservice.ClosedExecutionRetention;
import io.temporal.testing.TestEnvironmentOptions;
import io.temporal.testing.TestWorkflowEnvironment;
import io.temporal.worker.Worker;
import io.temporal.workflow.SignalMethod;
import io.temporal.workflow.Workflow;
import io.temporal.workflow.WorkflowInterface;
import io.temporal.workflow.WorkflowMethod;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The in-process service, given a retention, forgets a finished execution (its state and its
 * history) once the retention has passed, and leaves running ones as they are: they still take
 * signals and finish.
 */
class ClosedExecutionRetentionTest {
  private static final String QUEUE = "retention-test";
  private static final Duration RETENTION = Duration.ofMinutes(1);

  @WorkflowInterface
  public interface Gate {
    @WorkflowMethod
    String pass();

    @SignalMethod
    void open();
  }

  public static class GateImpl implements Gate {
    private boolean open;

    @Override
    public String pass() {
      Workflow.await(() -> open);
      return "passed";
    }

    @Override
    public void open() {
      open = true;
    }
  }

  @ActivityInterface
  public interface Step {
    int next(int value);
  }

  public static class StepImpl implements Step {
    @Override
    public int next(int value) {
      return value + 1;
    }
  }

  /** One activity, as a reconcile runs: its timers outlive it unless they are purged. */
  @WorkflowInterface
  public interface Stepper {
    @WorkflowMethod
    int run(int value);
  }

  public static class StepperImpl implements Stepper {
    private final Step step =
        Workflow.newActivityStub(
            Step.class,
            ActivityOptions.newBuilder().setStartToCloseTimeout(Duration.ofSeconds(30)).build());

    @Override
    public int run(int value) {
      return step.next(value);
    }
  }

  private TestWorkflowEnvironment environment;
  private WorkflowClient client;
  private ClosedExecutionRetention retention;

  @BeforeEach
  void start() {
    environment =
        TestWorkflowEnvironment.newInstance(
            TestEnvironmentOptions.newBuilder().setUseTimeskipping(false).build());
    Worker worker = environment.newWorker(QUEUE);
    worker.registerWorkflowImplementationTypes(GateImpl.class, StepperImpl.class);
    worker.registerActivitiesImplementations(new StepImpl());
    environment.start();
    client = environment.getWorkflowClient();
    retention = ClosedExecutionRetention.of(environment);
  }

  @AfterEach
  void stop() {
    environment.close();
  }

  private Gate gate(String id) {
    return client.newWorkflowStub(
        Gate.class, WorkflowOptions.newBuilder().setTaskQueue(QUEUE).setWorkflowId(id).build());
  }

  /** Running, closed and forgotten executions. */
  private static List<Integer> counts(ClosedExecutionRetention.Pass pass) {
    return List.of(pass.running(), pass.closed(), pass.forgotten());
  }

  private static WorkflowExecutionStatus status(WorkflowClient client, String id) {
    return client.newUntypedWorkflowStub(id).describe().getStatus();
  }

  @Test
  void aFinishedExecutionIsForgottenOnceTheRetentionHasPassedAndARunningOneIsNot() {
    Gate finished = gate("finished");
    WorkflowClient.start(finished::pass);
    finished.open();
    assertThat(WorkflowStub.fromTyped(finished).getResult(String.class)).isEqualTo("passed");
    Gate running = gate("running");
    WorkflowClient.start(running::pass);

    Instant t0 = Instant.now();
    assertThat(counts(retention.forgetClosedBefore(t0, RETENTION))).containsExactly(1, 1, 0);
    // Within the retention nothing is forgotten.
    assertThat(counts(retention.forgetClosedBefore(t0.plusSeconds(59), RETENTION)))
        .containsExactly(1, 1, 0);
    assertThat(status(client, "finished"))
        .isEqualTo(WorkflowExecutionStatus.WORKFLOW_EXECUTION_STATUS_COMPLETED);

    assertThat(counts(retention.forgetClosedBefore(t0.plusSeconds(61), RETENTION)))
        .containsExactly(1, 0, 1);

    assertThatThrownBy(() -> status(client, "finished"))
        .isInstanceOf(WorkflowNotFoundException.class);
    assertThatThrownBy(() -> client.fetchHistory("finished").getHistory())
        .hasMessageContaining("NOT_FOUND");
    assertThat(status(client, "running"))
        .isEqualTo(WorkflowExecutionStatus.WORKFLOW_EXECUTION_STATUS_RUNNING);
    running.open();
    assertThat(WorkflowStub.fromTyped(running).getResult(String.class)).isEqualTo("passed");

    // A new run of the forgotten id runs as usual, and is counted as closed once finished.
    Gate again = gate("finished");
    WorkflowClient.start(again::pass);
    again.open();
    assertThat(WorkflowStub.fromTyped(again).getResult(String.class)).isEqualTo("passed");
    assertThat(counts(retention.forgetClosedBefore(t0.plusSeconds(62), RETENTION)))
        .containsExactly(0, 2, 0);
  }

  /**
   * The service's timers hold their workflow's state, some (an activity's schedule-to-close, the
   * run's timeout) until the far future, and its lock diagnostics grew by every workflow: once the
   * workflows are forgotten neither holds anything of them.
   */
  @Test
  void aForgottenExecutionLeavesNoTimerAndLockEventsStayBounded() {
    for (int i = 0; i < 200; i++) {
      Stepper stepper =
          client.newWorkflowStub(
              Stepper.class,
              WorkflowOptions.newBuilder().setTaskQueue(QUEUE).setWorkflowId("step/" + i).build());
      assertThat(stepper.run(i)).isEqualTo(i + 1);
    }
    assertThat(retention.queuedTimers()).isGreaterThanOrEqualTo(200);
    Instant t0 = Instant.now();
    retention.forgetClosedBefore(t0, RETENTION);

    ClosedExecutionRetention.Pass pass =
        retention.forgetClosedBefore(t0.plus(RETENTION).plusSeconds(1), RETENTION);

    assertThat(counts(pass)).containsExactly(0, 0, 200);
    assertThat(pass.timersRemoved()).isGreaterThanOrEqualTo(200);
    assertThat(retention.queuedTimers()).isZero();
    assertThat(retention.recordedLockEvents()).isLessThanOrEqualTo(1_000);
  }

  /** Runs of one id: the forgotten older run leaves the id's newer run reachable by id. */
  @Test
  void forgettingAnOlderRunKeepsTheNewerRunOfTheSameId() {
    Gate first = gate("reused");
    WorkflowClient.start(first::pass);
    first.open();
    WorkflowStub.fromTyped(first).getResult(String.class);
    Instant t0 = Instant.now();
    retention.forgetClosedBefore(t0, RETENTION);

    Gate second = gate("reused");
    WorkflowClient.start(second::pass);
    assertThat(counts(retention.forgetClosedBefore(t0.plusSeconds(61), RETENTION)))
        .containsExactly(1, 0, 1);

    assertThat(status(client, "reused"))
        .isEqualTo(WorkflowExecutionStatus.WORKFLOW_EXECUTION_STATUS_RUNNING);
    second.open();
    assertThat(WorkflowStub.fromTyped(second).getResult(String.class)).isEqualTo("passed");
  }
}
