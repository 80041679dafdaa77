package io.storagecontroller.temporal;

import io.temporal.spring.boot.TemporalOptionsCustomizer;
import io.temporal.worker.WorkerOptions;
import java.time.Duration;
import org.springframework.stereotype.Component;

/**
 * An activity hears that its workflow cancelled it only in the answer to a heartbeat, and the SDK
 * sends an activity's heartbeats at most every 0.8 of its heartbeat timeout (16 s for the steps' 20
 * s). A drain's window of migrations asks several times a second, so a cancelled drain stops
 * warming up within about {@link #MAX_INTERVAL} instead; steps that beat only from {@code
 * ActivityLiveness} send one heartbeat per beat (a third of their timeout).
 */
@Component
public class HeartbeatThrottle implements TemporalOptionsCustomizer<WorkerOptions.Builder> {
  static final Duration MAX_INTERVAL = Duration.ofSeconds(1);

  @Override
  public WorkerOptions.Builder customize(WorkerOptions.Builder options) {
    return options.setMaxHeartbeatThrottleInterval(MAX_INTERVAL);
  }
}
