package io.storagecontroller.activities;

import io.storagecontroller.failpoint.FailpointTriggered;
import io.storagecontroller.model.StepFailure;
import io.storagecontroller.pageserver.PageserverException;
import io.temporal.common.interceptors.ActivityInboundCallsInterceptor;
import io.temporal.common.interceptors.ActivityInboundCallsInterceptorBase;
import io.temporal.common.interceptors.WorkerInterceptorBase;
import io.temporal.failure.ApplicationFailure;
import org.springframework.stereotype.Component;

/**
 * Where the domain's failures become Temporal's, for every activity: a {@link StepFailure} keeps
 * its type and retryability; a pageserver's refusal ({@code PageserverRefused}) is not retried, its
 * unavailability ({@code PageserverUnavailable}) is; a failpoint set to {@code return} fails the
 * activity for good ({@value #FAILPOINT}), so a test sees the failure at once and the workflow
 * handles it as it handles a pageserver's refusal. Activities themselves stay thin adapters that
 * never build a Temporal failure for these. Picked up by the Temporal starter as a worker
 * interceptor.
 */
@Component
public class StepFailures extends WorkerInterceptorBase {
  /** The failure type of an activity whose failpoint returned an error. */
  public static final String FAILPOINT = "Failpoint";

  @Override
  public ActivityInboundCallsInterceptor interceptActivity(ActivityInboundCallsInterceptor next) {
    return new ActivityInboundCallsInterceptorBase(next) {
      @Override
      public ActivityOutput execute(ActivityInput input) {
        try {
          return super.execute(input);
        } catch (StepFailure e) {
          throw e.retryable()
              ? ApplicationFailure.newFailureWithCause(e.getMessage(), e.type(), e)
              : ApplicationFailure.newNonRetryableFailureWithCause(e.getMessage(), e.type(), e);
        } catch (PageserverException e) {
          throw of(e);
        } catch (FailpointTriggered e) {
          throw ApplicationFailure.newNonRetryableFailureWithCause(e.getMessage(), FAILPOINT, e);
        }
      }
    };
  }

  /** A pageserver's refusal cannot succeed on retry; its unavailability may. */
  public static ApplicationFailure of(PageserverException e) {
    return e.retryable()
        ? ApplicationFailure.newFailureWithCause(e.getMessage(), "PageserverUnavailable", e)
        : ApplicationFailure.newNonRetryableFailureWithCause(
            e.getMessage(), "PageserverRefused", e);
  }
}
