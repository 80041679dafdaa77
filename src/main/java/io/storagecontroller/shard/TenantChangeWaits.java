package io.storagecontroller.shard;

import io.storagecontroller.model.TenantId;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;

/**
 * Callers waiting for a tenant's shards to reach some state (a create for its reconcile, a delete
 * for its locations to go) sleep until one of the tenant's shards publishes a new view, rather than
 * polling. Under the benchmark's sustained load, polling every 20 ms had some 130 waiting creates
 * and deletes wake 6,500 times a second, and 18-30 of the API's threads were runnable whenever
 * sampled: a queue every read waited in for a core (about 7 since).
 */
final class TenantChangeWaits {
  /**
   * How long a waiter sleeps without a change before it looks again: its condition may also read
   * what no shard publishes (nodes' availability, leadership).
   */
  static final Duration RECHECK = Duration.ofMillis(250);

  /** A tenant's waiters: a count of its changes while any of them waits. */
  private static final class Waiting {
    /** Under the map's lock for the tenant's key, in {@code compute}: how many wait. */
    private int waiters;

    private long changes;

    synchronized void changed() {
      changes++;
      notifyAll();
    }

    synchronized long changes() {
      return changes;
    }

    /** Returns when the count moved past {@code seen}, or {@code nanos} passed. */
    synchronized void awaitChangeAfter(long seen, long nanos) throws InterruptedException {
      long deadline = System.nanoTime() + nanos;
      while (changes == seen) {
        long left = deadline - System.nanoTime();
        if (left <= 0) {
          return;
        }
        TimeUnit.NANOSECONDS.timedWait(this, left);
      }
    }
  }

  private final Map<TenantId, Waiting> waiting = new ConcurrentHashMap<>();
  private final long recheckNanos;

  TenantChangeWaits() {
    this(RECHECK);
  }

  TenantChangeWaits(Duration recheck) {
    this.recheckNanos = recheck.toNanos();
  }

  /**
   * One of the tenant's shards published a new view (called after the view is set, so a waiter that
   * wakes reads it). Costs a map probe when nobody waits.
   */
  void changed(TenantId tenant) {
    if (waiting.isEmpty()) {
      return;
    }
    Waiting w = waiting.get(tenant);
    if (w != null) {
      w.changed();
    }
  }

  /** How many tenants have a waiter now. */
  int tenantsWaitedOn() {
    return waiting.size();
  }

  /**
   * Waits until {@code condition} holds (true) or {@code timeout} passes (false), evaluating it
   * again after each change of the tenant's shards and at least every {@link #RECHECK}.
   */
  boolean await(TenantId tenant, Duration timeout, BooleanSupplier condition)
      throws InterruptedException {
    Waiting w =
        waiting.compute(
            tenant,
            (t, existing) -> {
              Waiting joined = existing != null ? existing : new Waiting();
              joined.waiters++;
              return joined;
            });
    try {
      long deadline = System.nanoTime() + timeout.toNanos();
      while (true) {
        // The count is read before the condition: a change after this read ends the sleep below,
        // and one before it published its view before counting, so the condition sees it.
        long seen = w.changes();
        if (condition.getAsBoolean()) {
          return true;
        }
        long left = deadline - System.nanoTime();
        if (left <= 0) {
          return false;
        }
        w.awaitChangeAfter(seen, Math.min(left, recheckNanos));
      }
    } finally {
      waiting.computeIfPresent(tenant, (t, existing) -> --existing.waiters == 0 ? null : existing);
    }
  }
}
