package io.storagecontroller.orchestration;

import static org.assertj.core.api.Assertions.assertThat;

import io.temporal.activity.ActivityInterface;
import io.temporal.activity.ActivityOptions;
import io.temporal.api.enums.v1.PendingActivityState;
import io.temporal.client.WorkflowClient;
import io.temporal.client.WorkflowClientOptions;
import io.temporal.client.WorkflowOptions;
import io.temporal.client.WorkflowStub;
import io.temporal.common.RetryOptions;
import io.temporal.testing.TestWorkflowEnvironment;
import io.temporal.worker.WorkerFactory;
import io.temporal.workflow.Workflow;
import io.temporal.workflow.WorkflowInterface;
import io.temporal.workflow.WorkflowMethod;
import java.time.Duration;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * A step started by a worker that stopped polling (its controller died or was deposed) is failed at
 * once and retried by this controller's worker, long before its heartbeat timeout; the steps this
 * controller runs itself, and workflows without a pending step, are left alone.
 */
class StrandedStepsTest {
  private static final String QUEUE = "stranded-steps-test";

  @ActivityInterface
  public interface Step {
    String run();
  }

  @WorkflowInterface
  public interface OneStep {
    @WorkflowMethod
    String run();
  }

  public static class OneStepImpl implements OneStep {
    // A heartbeat timeout far beyond the test's patience: only failing the attempt can end it.
    private final Step step =
        Workflow.newActivityStub(
            Step.class,
            ActivityOptions.newBuilder()
                .setStartToCloseTimeout(Duration.ofHours(1))
                .setHeartbeatTimeout(Duration.ofHours(1))
                .setRetryOptions(
                    RetryOptions.newBuilder().setInitialInterval(Duration.ofMillis(10)).build())
                .build());

    @Override
    public String run() {
      return step.run();
    }
  }

  @Test
  void aStepStartedByAControllerThatNoLongerRunsIsRetriedHereAtOnce() throws Exception {
    try (TestWorkflowEnvironment env = TestWorkflowEnvironment.newInstance()) {
      CountDownLatch started = new CountDownLatch(1);
      WorkerFactory dead =
          worker(
              client(env, "1@old-host/boot-a"),
              () -> {
                started.countDown();
                // The old controller's step never answers (its process is gone).
                sleepQuietly(Duration.ofMinutes(10));
                return "old";
              });
      WorkflowClient client = client(env, "2@new-host/boot-b");
      OneStep workflow =
          client.newWorkflowStub(
              OneStep.class,
              WorkflowOptions.newBuilder().setTaskQueue(QUEUE).setWorkflowId("split/t").build());
      WorkflowClient.start(workflow::run);
      assertThat(started.await(30, TimeUnit.SECONDS)).isTrue();
      dead.suspendPolling();

      StrandedSteps steps = new StrandedSteps(client, "2@new-host/boot-b");
      WorkerFactory alive = worker(client, () -> "new");

      assertThat(steps.failAbandoned("split/t")).isEqualTo(1);
      assertThat(WorkflowStub.fromTyped(workflow).getResult(30, TimeUnit.SECONDS, String.class))
          .isEqualTo("new");
      assertThat(steps.failAbandoned("split/t")).isZero();
      alive.shutdownNow();
      dead.shutdownNow();
    }
  }

  @Test
  void aStepThisControllerRunsIsLeftAlone() throws Exception {
    try (TestWorkflowEnvironment env = TestWorkflowEnvironment.newInstance()) {
      CountDownLatch started = new CountDownLatch(1);
      CountDownLatch release = new CountDownLatch(1);
      WorkerFactory own =
          worker(
              client(env, "3@host/boot-c"),
              () -> {
                started.countDown();
                awaitQuietly(release);
                return "mine";
              });
      WorkflowClient client = own.getWorkflowClient();
      OneStep workflow =
          client.newWorkflowStub(
              OneStep.class,
              WorkflowOptions.newBuilder().setTaskQueue(QUEUE).setWorkflowId("drain/1").build());
      WorkflowClient.start(workflow::run);
      assertThat(started.await(30, TimeUnit.SECONDS)).isTrue();

      StrandedSteps steps = new StrandedSteps(client, "3@host/boot-c");
      assertThat(steps.failAbandoned("drain/1")).isZero();
      assertThat(
              client
                  .newUntypedWorkflowStub("drain/1")
                  .describe()
                  .getRawDescription()
                  .getPendingActivities(0)
                  .getState())
          .isEqualTo(PendingActivityState.PENDING_ACTIVITY_STATE_STARTED);
      assertThat(steps.failAbandoned("no-such-workflow")).isZero();
      release.countDown();
      assertThat(WorkflowStub.fromTyped(workflow).getResult(30, TimeUnit.SECONDS, String.class))
          .isEqualTo("mine");
      own.shutdownNow();
    }
  }

  private static WorkflowClient client(TestWorkflowEnvironment env, String identity) {
    return WorkflowClient.newInstance(
        env.getWorkflowServiceStubs(),
        WorkflowClientOptions.newBuilder(env.getWorkflowClient().getOptions())
            .setIdentity(identity)
            .build());
  }

  /** A started worker polling as the client's identity, whose step does what {@code step} does. */
  private static WorkerFactory worker(WorkflowClient client, Step step) {
    WorkerFactory factory = WorkerFactory.newInstance(client);
    factory.newWorker(QUEUE).registerWorkflowImplementationTypes(OneStepImpl.class);
    factory.getWorker(QUEUE).registerActivitiesImplementations(step);
    factory.start();
    return factory;
  }

  private static void sleepQuietly(Duration duration) {
    try {
      Thread.sleep(duration.toMillis());
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  private static void awaitQuietly(CountDownLatch latch) {
    try {
      latch.await(1, TimeUnit.MINUTES);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }
}
