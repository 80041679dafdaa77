package io.storagecontroller.temporal;

import io.temporal.spring.boot.TemporalOptionsCustomizer;
import io.temporal.worker.WorkerOptions;
import java.time.Duration;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.stereotype.Component;

/**
 * Sticky execution ({@code --temporal-sticky-timeout}): a workflow's next task goes first to the
 * worker that holds it in its cache, and to any worker after this timeout. Temporal's server hands
 * a dead controller's tasks on after it; the SDK's test server never does, so a controller run on
 * that as an external service turns sticky execution off (0), or a workflow whose controller died
 * waits forever.
 */
@Component
public class StickyExecution implements TemporalOptionsCustomizer<WorkerOptions.Builder> {
  private final Duration timeout;

  public StickyExecution(
      @Value("${storage-controller.temporal-sticky-timeout:5s}") Duration timeout) {
    this.timeout = timeout;
  }

  @Override
  public WorkerOptions.Builder customize(WorkerOptions.Builder options) {
    return options.setStickyQueueScheduleToStartTimeout(timeout);
  }
}
