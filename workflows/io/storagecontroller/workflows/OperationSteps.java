package io.storagecontroller.workflows;

import io.temporal.activity.ActivityOptions;
import io.temporal.common.RetryOptions;
import io.temporal.workflow.Workflow;
import java.time.Duration;

/**
 * Activity stubs for the steps of long operations that run as activity tasks (evacuation, drain and
 * fill, node deletion, the optimiser): each step heartbeats ({@link StepHeartbeat}) and is tried
 * three times, a second apart at first, before the workflow handles its failure.
 */
public final class OperationSteps {
  private OperationSteps() {}

  public static <T> T stub(Class<T> activities, Duration startToClose) {
    return Workflow.newActivityStub(
        activities,
        ActivityOptions.newBuilder()
            .setStartToCloseTimeout(startToClose)
            .setHeartbeatTimeout(StepHeartbeat.TIMEOUT)
            .setRetryOptions(
                RetryOptions.newBuilder()
                    .setInitialInterval(Duration.ofSeconds(1))
                    .setMaximumAttempts(3)
                    .build())
            .build());
  }
}
