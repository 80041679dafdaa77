package io.storagecontroller.tools.simulator;

import java.time.Duration;
import java.util.function.Supplier;

/** Polls a condition until it holds or a deadline passes: no sleeping and hoping. */
final class Eventually {
  private Eventually() {}

  static <T> T await(Duration limit, Supplier<T> attempt, java.util.function.Predicate<T> done) {
    long deadline = System.nanoTime() + limit.toNanos();
    T last = attempt.get();
    while (!done.test(last)) {
      if (System.nanoTime() > deadline) {
        throw new AssertionError("condition not reached within " + limit + "; last: " + last);
      }
      try {
        Thread.sleep(10);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new AssertionError("interrupted", e);
      }
      last = attempt.get();
    }
    return last;
  }
}
