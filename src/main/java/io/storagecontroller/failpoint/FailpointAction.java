package io.storagecontroller.failpoint;

import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.atomic.AtomicLong;

/**
 * One task of a failpoint's action chain, in the {@code fail} crate's syntax {@code
 * [<pct>%][<count>*]<kind>[(<argument>)]}: it fires with the given probability, at most {@code
 * count} times when a count is given.
 */
record FailpointAction(Kind kind, String argument, double probability, AtomicLong remaining) {

  /** What a task does when it fires. */
  enum Kind {
    /** Nothing: the failpoint passes. */
    OFF,
    /** The step fails; a sleepy failpoint instead sleeps for the argument's milliseconds. */
    RETURN,
    /** Sleeps for the argument's milliseconds (woken early when the failpoint is reconfigured). */
    SLEEP,
    /** Same as sleep here: the {@code fail} crate's busy wait has no use in Java. */
    DELAY,
    /** The step fails, like return: a Rust panic ends only the task that panicked. */
    PANIC,
    /** Logs the argument and passes. */
    PRINT,
    /** Blocks until the failpoint is reconfigured. */
    PAUSE,
    /** Yields the thread and passes. */
    YIELD,
    /** Halts the process at once (status 1), for crash tests. */
    EXIT
  }

  /** Whether this task fires now; a counted task uses up one of its firings. */
  boolean fires() {
    if (remaining != null && remaining.get() <= 0) {
      return false;
    }
    if (probability < 1 && ThreadLocalRandom.current().nextDouble() >= probability) {
      return false;
    }
    return remaining == null || remaining.getAndUpdate(n -> Math.max(n - 1, 0)) > 0;
  }

  /** The argument as milliseconds (sleep, delay, and return of a sleepy failpoint). */
  long millis() {
    return Long.parseLong(argument);
  }

  /**
   * Parses one task as the {@code fail} crate does, refusing what it refuses.
   *
   * @throws IllegalArgumentException naming what is wrong
   */
  static FailpointAction parse(String text) {
    String remain = text.trim();
    String argument = null;
    int open = remain.indexOf('(');
    if (open >= 0) {
      if (!remain.endsWith(")")) {
        throw new IllegalArgumentException("parentheses do not match");
      }
      argument = remain.substring(open + 1, remain.length() - 1);
      remain = remain.substring(0, open);
    }
    double probability = 1;
    int percent = remain.indexOf('%');
    if (percent >= 0) {
      probability = number(remain.substring(0, percent), "frequency") / 100;
      remain = remain.substring(percent + 1);
    }
    AtomicLong remaining = null;
    int star = remain.indexOf('*');
    if (star >= 0) {
      remaining = new AtomicLong(count(remain.substring(0, star)));
      remain = remain.substring(star + 1);
    }
    Kind kind =
        switch (remain) {
          case "off" -> Kind.OFF;
          case "return" -> Kind.RETURN;
          case "sleep" -> Kind.SLEEP;
          case "delay" -> Kind.DELAY;
          case "panic" -> Kind.PANIC;
          case "print" -> Kind.PRINT;
          case "pause" -> Kind.PAUSE;
          case "yield" -> Kind.YIELD;
          case "exit" -> Kind.EXIT;
          default -> throw new IllegalArgumentException("unrecognized command \"" + remain + "\"");
        };
    if (kind == Kind.SLEEP || kind == Kind.DELAY) {
      if (argument == null) {
        throw new IllegalArgumentException(remain + " requires a timeout in milliseconds");
      }
      count(argument);
    }
    return new FailpointAction(kind, argument, probability, remaining);
  }

  private static double number(String text, String what) {
    try {
      double value = Double.parseDouble(text);
      if (Double.isFinite(value) && !text.isBlank() && text.strip().equals(text)) {
        return value;
      }
    } catch (NumberFormatException e) {
      // reported below
    }
    throw new IllegalArgumentException("failed to parse " + what + ": '" + text + "'");
  }

  private static long count(String text) {
    if (!text.matches("[0-9]{1,18}")) {
      throw new IllegalArgumentException("failed to parse count or timeout: '" + text + "'");
    }
    return Long.parseLong(text);
  }
}
