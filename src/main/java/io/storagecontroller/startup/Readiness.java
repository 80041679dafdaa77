package io.storagecontroller.startup;

import java.time.Duration;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.stereotype.Component;

/**
 * Whether start-up is complete. Read without any lock: Neon's probes once took the service lock
 * and, under CPU starvation, Kubernetes killed the pod (its #9944).
 */
@Component
public class Readiness {
  private static final Logger log = LoggerFactory.getLogger(Readiness.class);
  private final CountDownLatch ready = new CountDownLatch(1);
  private volatile long startupBeganNanos = System.nanoTime();

  /** Start-up (loading state, scanning pageservers) begins now; readiness is measured from here. */
  public void startupBegins() {
    startupBeganNanos = System.nanoTime();
  }

  public boolean isReady() {
    return ready.getCount() == 0;
  }

  public void markReady() {
    if (!isReady()) {
      ready.countDown();
      log.info(
          "start-up complete in {} ms, storage_controller is ready",
          (System.nanoTime() - startupBeganNanos) / 1_000_000);
    }
  }

  /** Waits for start-up to complete; false if the timeout passed first. */
  public boolean awaitReady(Duration timeout) throws InterruptedException {
    return ready.await(timeout.toMillis(), TimeUnit.MILLISECONDS);
  }
}
