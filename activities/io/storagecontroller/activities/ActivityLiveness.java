package io.storagecontroller.activities;

import io.temporal.activity.ActivityExecutionContext;
import io.temporal.common.interceptors.ActivityInboundCallsInterceptor;
import io.temporal.common.interceptors.ActivityInboundCallsInterceptorBase;
import io.temporal.common.interceptors.WorkerInterceptorBase;
import jakarta.annotation.PreDestroy;
import java.time.Duration;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import org.springframework.stereotype.Component;

/**
 * Every activity whose options set a heartbeat timeout heartbeats while it runs, from beside it, so
 * a step's own code need not: a controller that dies in the middle of a step (SIGKILL, a lost
 * machine) is noticed by the Temporal service within that timeout and the step is retried by a live
 * controller, instead of after the step's start-to-close timeout (minutes). Local activities need
 * nothing: they die with their workflow task, which the service hands on after its own timeout.
 */
@Component
public class ActivityLiveness extends WorkerInterceptorBase {
  /** Beats per heartbeat timeout: one late or lost beat does not time the step out. */
  private static final int BEATS_PER_TIMEOUT = 3;

  private final ScheduledExecutorService beats =
      Executors.newSingleThreadScheduledExecutor(
          r -> {
            Thread thread = new Thread(r, "activity-heartbeats");
            thread.setDaemon(true);
            return thread;
          });

  @Override
  public ActivityInboundCallsInterceptor interceptActivity(ActivityInboundCallsInterceptor next) {
    return new ActivityInboundCallsInterceptorBase(next) {
      private ActivityExecutionContext context;

      @Override
      public void init(ActivityExecutionContext context) {
        this.context = context;
        super.init(context);
      }

      @Override
      public ActivityOutput execute(ActivityInput input) {
        Duration timeout = context.getInfo().getHeartbeatTimeout();
        if (context.getInfo().isLocal() || timeout == null || timeout.isZero()) {
          return super.execute(input);
        }
        long every = Math.max(timeout.toMillis() / BEATS_PER_TIMEOUT, 100);
        ScheduledFuture<?> beating =
            beats.scheduleAtFixedRate(this::beat, every, every, TimeUnit.MILLISECONDS);
        try {
          return super.execute(input);
        } finally {
          beating.cancel(false);
        }
      }

      private void beat() {
        try {
          context.heartbeat(null);
        } catch (RuntimeException e) {
          // Cancelled or timed out (the step's own code hears of it when it next asks), or the
          // service unreachable: the next beat tries again.
        }
      }
    };
  }

  @PreDestroy
  void stop() {
    beats.shutdownNow();
  }
}
