package io.storagecontroller.workflows;

import io.temporal.activity.ActivityCancellationType;
import io.temporal.activity.ActivityOptions;
import io.temporal.common.RetryOptions;
import io.temporal.failure.ActivityFailure;
import io.temporal.failure.TemporalFailure;
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
    return stub(activities, startToClose, ActivityCancellationType.TRY_CANCEL);
  }

  /**
   * With {@code WAIT_CANCELLATION_COMPLETED}, a cancelled step's workflow waits for the step to
   * stop (and gets its result if it returns one), where {@code TRY_CANCEL} (the SDK's default) goes
   * on at once while the step may still be running.
   */
  public static <T> T stub(
      Class<T> activities, Duration startToClose, ActivityCancellationType cancellation) {
    return Workflow.newActivityStub(
        activities,
        ActivityOptions.newBuilder()
            .setStartToCloseTimeout(startToClose)
            .setCancellationType(cancellation)
            .setHeartbeatTimeout(StepHeartbeat.TIMEOUT)
            .setRetryOptions(
                RetryOptions.newBuilder()
                    .setInitialInterval(Duration.ofSeconds(1))
                    .setMaximumAttempts(3)
                    .build())
            .build());
  }

  /**
   * What went wrong in a failed step, in the step's own words: an {@link ActivityFailure}'s message
   * names the activity and its attempt, the cause's original message is the domain's.
   */
  public static String reason(ActivityFailure failure) {
    return failure.getCause() instanceof TemporalFailure cause
        ? cause.getOriginalMessage()
        : failure.getMessage();
  }
}
