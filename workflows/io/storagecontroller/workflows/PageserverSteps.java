package io.storagecontroller.workflows;

import io.temporal.activity.ActivityOptions;
import io.temporal.activity.LocalActivityOptions;
import io.temporal.common.RetryOptions;
import io.temporal.workflow.Workflow;
import java.time.Duration;

/**
 * Activity stubs for workflow steps that call pageservers (reconcile, live migration). The steps
 * take milliseconds and need no queueing across workers, so they run as local activities: recorded
 * in the history as markers, without a round trip through the service for each one. Runs begun
 * before that change ({@link #LOCAL_ACTIVITIES}) keep calling them as activity tasks.
 */
public final class PageserverSteps {
  /** The change id under {@link Workflow#getVersion}. */
  public static final String LOCAL_ACTIVITIES = "local-activities";

  // location_config may take 3 x 25 s inside the activity (Neon's per-call retries).
  private static final Duration CALL_TIMEOUT = Duration.ofSeconds(100);
  private static final RetryOptions RETRY =
      RetryOptions.newBuilder()
          .setInitialInterval(Duration.ofSeconds(1))
          .setBackoffCoefficient(2)
          .setMaximumAttempts(3)
          .build();

  private PageserverSteps() {}

  /** The stub this run uses; call it once, at the start of the workflow method. */
  public static <T> T stub(Class<T> activities) {
    if (Workflow.getVersion(LOCAL_ACTIVITIES, Workflow.DEFAULT_VERSION, 1)
        == Workflow.DEFAULT_VERSION) {
      return Workflow.newActivityStub(
          activities,
          ActivityOptions.newBuilder()
              .setStartToCloseTimeout(CALL_TIMEOUT)
              .setRetryOptions(RETRY)
              .build());
    }
    return Workflow.newLocalActivityStub(
        activities,
        LocalActivityOptions.newBuilder()
            .setStartToCloseTimeout(CALL_TIMEOUT)
            .setRetryOptions(RETRY)
            .build());
  }
}
