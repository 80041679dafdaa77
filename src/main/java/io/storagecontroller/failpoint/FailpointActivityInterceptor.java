package io.storagecontroller.failpoint;

import io.temporal.common.interceptors.ActivityInboundCallsInterceptor;
import io.temporal.common.interceptors.ActivityInboundCallsInterceptorBase;
import io.temporal.common.interceptors.WorkerInterceptorBase;
import io.temporal.failure.ApplicationFailure;
import org.springframework.stereotype.Component;

/**
 * An activity that hits a failpoint set to {@code return} fails for good (type {@code Failpoint})
 * rather than being retried: the test sees the failure at once, and the workflow handles it as it
 * handles a pageserver's refusal. Picked up by the Temporal starter as a worker interceptor.
 */
@Component
public class FailpointActivityInterceptor extends WorkerInterceptorBase {
  /** The failure type an activity fails with when a failpoint returned an error. */
  public static final String FAILURE_TYPE = "Failpoint";

  @Override
  public ActivityInboundCallsInterceptor interceptActivity(ActivityInboundCallsInterceptor next) {
    return new ActivityInboundCallsInterceptorBase(next) {
      @Override
      public ActivityOutput execute(ActivityInput input) {
        try {
          return super.execute(input);
        } catch (FailpointTriggered e) {
          throw ApplicationFailure.newNonRetryableFailureWithCause(e.getMessage(), FAILURE_TYPE, e);
        }
      }
    };
  }
}
