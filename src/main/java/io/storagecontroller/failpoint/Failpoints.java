package io.storagecontroller.failpoint;

import io.storagecontroller.config.ControllerProperties;
import io.storagecontroller.model.Refusal;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.stereotype.Component;

/**
 * Named points in the controller's steps where a test can inject a failure, a pause, a delay or a
 * process exit at run time ({@code PUT /debug/v1/failpoints}), as Neon's test builds can. The names
 * are listed in {@link FailpointNames}. Only {@code --enable-failpoints} or {@code --dev} lets them
 * be configured; otherwise none is ever set and {@link #hit} costs one map lookup.
 */
@Component
public class Failpoints {
  private static final Logger log = LoggerFactory.getLogger(Failpoints.class);

  private final boolean enabled;
  private final Map<String, FailpointActions> configured = new ConcurrentHashMap<>();
  private final Map<String, AtomicLong> hits = new ConcurrentHashMap<>();
  private final Object changed = new Object();

  @Autowired
  public Failpoints(ControllerProperties properties) {
    this(properties.enableFailpoints() || properties.dev());
  }

  Failpoints(boolean enabled) {
    this.enabled = enabled;
  }

  public boolean enabled() {
    return enabled;
  }

  /**
   * Passes the failpoint: does nothing unless it is configured, in which case it may fail the step
   * ({@link FailpointTriggered}), block, sleep or halt the process.
   */
  public void hit(String name) {
    act(name, false);
  }

  /**
   * Passes a failpoint that Neon reads as a delay ({@code sleep_millis_async!}, e.g. {@code
   * sleepy-drain-loop}): {@code return(N)} sleeps N milliseconds instead of failing.
   */
  public void sleepy(String name) {
    act(name, true);
  }

  /**
   * Applies a configuration: every entry is parsed before any is applied, so a refused request
   * changes nothing. {@code off} removes a failpoint and releases threads paused or sleeping at it.
   *
   * @throws Refusal 400 when failpoints are disabled or an action cannot be parsed
   */
  public void configure(List<FailpointConfig> request) {
    if (!enabled) {
      throw Refusal.badRequest(
          "Cannot manage failpoints because storage_controller was started without"
              + " --enable-failpoints");
    }
    Map<String, FailpointActions> parsed = new LinkedHashMap<>();
    for (FailpointConfig entry : request) {
      if (entry == null) {
        throw Refusal.badRequest("Failed to parse json request: a failpoint must be an object");
      }
      entry.validate();
      try {
        parsed.put(entry.name(), FailpointActions.parse(entry.actions()));
      } catch (IllegalArgumentException e) {
        throw Refusal.badRequest(
            "Failed to configure failpoints: " + entry.name() + ": " + e.getMessage());
      }
    }
    synchronized (changed) {
      parsed.forEach(
          (name, actions) -> {
            log.info("cfg failpoint: {} {}", name, actions);
            if (actions.off()) {
              configured.remove(name);
            } else {
              configured.put(name, actions);
            }
          });
      changed.notifyAll();
    }
  }

  /** How often the failpoint was reached while configured (for tests that wait for a step). */
  public long hits(String name) {
    AtomicLong n = hits.get(name);
    return n == null ? 0 : n.get();
  }

  private void act(String name, boolean sleepy) {
    FailpointActions actions = configured.get(name);
    if (actions == null) {
      return;
    }
    hits.computeIfAbsent(name, k -> new AtomicLong()).incrementAndGet();
    Optional<FailpointAction> task = actions.next();
    if (task.isEmpty()) {
      return;
    }
    FailpointAction action = task.get();
    switch (action.kind()) {
      case OFF -> {}
      case RETURN -> {
        if (sleepy && action.argument() != null) {
          waitWhileConfigured(name, actions, action.millis());
        } else {
          log.info("failpoint {}: returning an error", name);
          throw new FailpointTriggered(name, action.argument());
        }
      }
      case PANIC -> {
        log.warn("failpoint {}: panic", name);
        throw new FailpointTriggered(name, "panic" + argumentOf(action));
      }
      case SLEEP, DELAY -> waitWhileConfigured(name, actions, action.millis());
      case PAUSE -> {
        log.info("failpoint {}: paused", name);
        waitWhileConfigured(name, actions, Long.MAX_VALUE);
        log.info("failpoint {}: resumed", name);
      }
      case PRINT -> log.info("failpoint {}{}", name, argumentOf(action));
      case YIELD -> Thread.yield();
      case EXIT -> {
        log.warn("failpoint {}: exit requested", name);
        Runtime.getRuntime().halt(1);
      }
    }
  }

  /**
   * Blocks until the failpoint's configuration changes or {@code millis} pass. An interrupt (e.g. a
   * worker shutting down) fails the step rather than letting it run on past the failpoint.
   */
  private void waitWhileConfigured(String name, FailpointActions actions, long millis) {
    boolean forever = millis == Long.MAX_VALUE;
    // Monotonic, in nanoseconds: a deadline in whole wall-clock milliseconds let a wait end up to a
    // millisecond short of what it was asked for (the start's millisecond was truncated).
    long deadline = forever ? 0 : System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(millis);
    synchronized (changed) {
      while (configured.get(name) == actions) {
        long leftNanos = forever ? 0 : deadline - System.nanoTime();
        if (!forever && leftNanos <= 0) {
          return;
        }
        try {
          // Rounded up, so the wait never wakes before the deadline only to wait again.
          changed.wait(forever ? 0 : TimeUnit.NANOSECONDS.toMillis(leftNanos) + 1);
        } catch (InterruptedException e) {
          Thread.currentThread().interrupt();
          throw new FailpointTriggered(name, "interrupted while waiting");
        }
      }
    }
  }

  private static String argumentOf(FailpointAction action) {
    return action.argument() == null ? "" : ": " + action.argument();
  }
}
