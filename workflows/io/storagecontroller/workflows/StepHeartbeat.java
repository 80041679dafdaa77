package io.storagecontroller.workflows;

import java.time.Duration;

/**
 * The heartbeat timeout of every step that runs as an activity task. Each such step heartbeats
 * while it runs (the worker's {@code ActivityLiveness} interceptor), so a controller that dies in
 * the middle of one is noticed within this and the step retried by a live controller, not after its
 * start-to-close timeout. Long enough that a stalled JVM (a long GC pause on a busy machine) does
 * not time a healthy step out.
 */
public final class StepHeartbeat {
  public static final Duration TIMEOUT = Duration.ofSeconds(20);

  private StepHeartbeat() {}
}
