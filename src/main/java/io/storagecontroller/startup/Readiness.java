package io.storagecontroller.startup;

import java.util.concurrent.atomic.AtomicBoolean;
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
  private final AtomicBoolean ready = new AtomicBoolean();

  public boolean isReady() {
    return ready.get();
  }

  public void markReady() {
    if (ready.compareAndSet(false, true)) {
      log.info("start-up complete, storage_controller is ready");
    }
  }
}
