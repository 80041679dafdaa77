package io.storagecontroller.temporal;

import io.temporal.spring.boot.TemporalOptionsCustomizer;
import io.temporal.worker.WorkerFactoryOptions;
import java.time.Duration;
import org.springframework.stereotype.Component;

/**
 * The workers' shutdown notices that each of its stages (pollers, workflow tasks, local activities,
 * activities) is done within {@link #CHECK_INTERVAL} instead of the SDK's 250 ms. A step-down waits
 * for that shutdown before it answers, and the writes refused meanwhile wait with it: four stages
 * of 250 ms were most of the old leader's second of stopping.
 */
@Component
public class PromptShutdown implements TemporalOptionsCustomizer<WorkerFactoryOptions.Builder> {
  static final Duration CHECK_INTERVAL = Duration.ofMillis(10);

  @Override
  public WorkerFactoryOptions.Builder customize(WorkerFactoryOptions.Builder options) {
    return options.setShutdownCheckInterval(CHECK_INTERVAL);
  }
}
