package io.storagecontroller.tools.simulator;

import java.time.Duration;
import java.util.Objects;

/**
 * A way a simulated pageserver misbehaves on command. Faults combine (e.g. slow and failing),
 * except that {@link Down} makes the others moot and {@link Hanging} wins over latency and
 * failures.
 */
public sealed interface Fault {

  /** Not listening: callers get "connection refused". Memory is kept, unlike a crash. */
  record Down() implements Fault {}

  /** Every request is answered only after this extra latency. */
  record Slow(Duration latency) implements Fault {
    public Slow {
      Objects.requireNonNull(latency, "latency");
      if (latency.isNegative()) {
        throw new IllegalArgumentException("latency must not be negative: " + latency);
      }
    }
  }

  /**
   * This fraction of requests answer 503 {@code {"msg":"simulated failure"}}; which ones is decided
   * by a random sequence from the seed, so a run can be repeated exactly.
   */
  record Failing(double rate, long seed) implements Fault {
    public Failing {
      if (!(rate >= 0 && rate <= 1)) {
        throw new IllegalArgumentException("error rate must be within 0..1: " + rate);
      }
    }
  }

  /** Requests are accepted and never answered, until the fault is cleared. */
  record Hanging() implements Fault {}

  /**
   * Requests whose path ends with {@code pathSuffix} (e.g. {@code /shard_split}) answer {@code
   * status} with {@code {"msg":"simulated failure"}}; everything else is served: one failing
   * endpoint on an otherwise healthy pageserver.
   */
  record FailingRoute(String pathSuffix, int status) implements Fault {
    public FailingRoute {
      Objects.requireNonNull(pathSuffix, "pathSuffix");
      if (status < 400 || status > 599) {
        throw new IllegalArgumentException("status must be an error (400..599): " + status);
      }
    }
  }

  static Fault down() {
    return new Down();
  }

  static Fault slow(Duration latency) {
    return new Slow(latency);
  }

  static Fault failing(double rate) {
    return new Failing(rate, 0);
  }

  static Fault failing(double rate, long seed) {
    return new Failing(rate, seed);
  }

  static Fault hanging() {
    return new Hanging();
  }

  static Fault failingRoute(String pathSuffix, int status) {
    return new FailingRoute(pathSuffix, status);
  }
}
