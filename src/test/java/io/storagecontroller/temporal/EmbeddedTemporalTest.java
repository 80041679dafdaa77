package io.storagecontroller.temporal;

import static org.assertj.core.api.Assertions.assertThat;

import io.storagecontroller.testing.ControllerTest;
import io.temporal.api.workflowservice.v1.GetSystemInfoRequest;
import io.temporal.api.workflowservice.v1.GetSystemInfoResponse;
import io.temporal.client.WorkflowClient;
import io.temporal.client.WorkflowOptions;
import io.temporal.worker.WorkerFactory;
import io.temporal.worker.WorkerFactoryOptions;
import io.temporal.workflow.Workflow;
import io.temporal.workflow.WorkflowInterface;
import io.temporal.workflow.WorkflowMethod;
import java.lang.reflect.Field;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;

/** On embedded defaults the service runs an in-process Temporal service on the real clock. */
class EmbeddedTemporalTest extends ControllerTest {
  @Autowired WorkflowClient client;
  @Autowired WorkerFactory workers;

  @Test
  void inProcessServiceAnswers() {
    GetSystemInfoResponse info =
        client
            .getWorkflowServiceStubs()
            .blockingStub()
            .getSystemInfo(GetSystemInfoRequest.getDefaultInstance());
    assertThat(info.hasCapabilities()).isTrue();
    assertThat(client.getOptions().getNamespace()).isEqualTo("default");
  }

  /** The controller's workers notice each stage of their shutdown within 10 ms, not 250 ms. */
  @Test
  void theWorkersShutdownIsCheckedPromptly() throws Exception {
    Field options = WorkerFactory.class.getDeclaredField("factoryOptions");
    options.setAccessible(true);
    assertThat(((WorkerFactoryOptions) options.get(workers)).getShutdownCheckInterval())
        .isEqualTo(PromptShutdown.CHECK_INTERVAL)
        .isLessThan(Duration.ofMillis(250));
  }

  /** A workflow that sleeps on a durable timer. */
  @WorkflowInterface
  public interface TimerWorkflow {
    @WorkflowMethod
    void sleep(long millis);
  }

  public static class TimerWorkflowImpl implements TimerWorkflow {
    @Override
    public void sleep(long millis) {
      Workflow.sleep(Duration.ofMillis(millis));
    }
  }

  @Test
  void timersRunOnTheRealClock() {
    WorkerFactory factory = WorkerFactory.newInstance(client);
    factory
        .newWorker("embedded-temporal-test")
        .registerWorkflowImplementationTypes(TimerWorkflowImpl.class);
    factory.start();
    try {
      TimerWorkflow workflow =
          client.newWorkflowStub(
              TimerWorkflow.class,
              WorkflowOptions.newBuilder()
                  .setTaskQueue("embedded-temporal-test")
                  .setWorkflowId("embedded-temporal-test/" + System.nanoTime())
                  .build());
      long started = System.nanoTime();
      workflow.sleep(1_500);
      long elapsedMillis = (System.nanoTime() - started) / 1_000_000;
      // With time skipping the 1.5 s timer would fire at once; real timers (retry backoffs,
      // deadlines) must
      // take real time.
      assertThat(elapsedMillis).isGreaterThanOrEqualTo(1_400L);
    } finally {
      factory.shutdownNow();
    }
  }
}
