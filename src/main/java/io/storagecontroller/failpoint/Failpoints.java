package io.storagecontroller.failpoint;

import io.storagecontroller.config.ControllerProperties;
import io.storagecontroller.http.ApiError;
import java.util.HashMap;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.stereotype.Component;

/**
 * Neon's failpoints: named places in long operations (e.g. {@code shard-split-post-remote}) where a
 * test makes the controller fail ({@code return}) or stop ({@code pause}) on purpose, to prove
 * recovery from exactly that step. Configured through {@code PUT /debug/v1/failpoints}; only in
 * {@code --dev} mode, as Neon only has them in testing builds.
 */
@Component
public class Failpoints {
  private static final Logger log = LoggerFactory.getLogger(Failpoints.class);

  private final boolean enabled;
  private final Map<String, FailpointAction> active = new HashMap<>();

  @Autowired
  public Failpoints(ControllerProperties properties) {
    this(properties.dev());
  }

  Failpoints(boolean enabled) {
    this.enabled = enabled;
  }

  /** Sets one failpoint; {@code off} removes it and releases whatever it paused. */
  public synchronized void configure(String name, String actions) {
    if (!enabled) {
      throw ApiError.badRequest("failpoints are only available in --dev mode");
    }
    if (name == null || name.isBlank()) {
      throw ApiError.badRequest("missing field `name`");
    }
    FailpointAction action = FailpointAction.parse(actions);
    if (action == FailpointAction.OFF) {
      active.remove(name);
    } else {
      active.put(name, action);
    }
    log.info("failpoint {} set to {}", name, action);
    notifyAll();
  }

  /**
   * Passes the named point: throws {@link FailpointTriggered} when it is set to {@code return},
   * waits while it is set to {@code pause}, and does nothing otherwise.
   */
  public synchronized void hit(String name) {
    boolean announced = false;
    while (active.get(name) == FailpointAction.PAUSE) {
      if (!announced) {
        log.info("failpoint {} paused here", name);
        announced = true;
      }
      try {
        wait();
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new FailpointTriggered(name + " (interrupted while paused)");
      }
    }
    if (active.get(name) == FailpointAction.RETURN) {
      log.info("failpoint {} returns an error here", name);
      throw new FailpointTriggered(name);
    }
  }
}
