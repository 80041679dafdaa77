package io.storagecontroller.leadership;

import org.flywaydb.core.Flyway;

/**
 * The leader lock this process holds, or is yet to take. A leader takes it at once, before the
 * schema is migrated; a candidate ({@code --start-as-candidate}) starts without it, answering only
 * its probes, and takes it once the leader has stepped down. The schema migration waits for the
 * lock either way: a new version never migrates under a running leader of the old one.
 */
public final class LeaderLockHolder implements AutoCloseable {
  private volatile LeaderLock lock;
  private Flyway deferred;

  /**
   * @param lock the lock already taken, or null for a candidate
   */
  LeaderLockHolder(LeaderLock lock) {
    this.lock = lock;
  }

  /** Whether the lock has been taken (it may have been lost since: see {@link LeaderLock#held}). */
  boolean taken() {
    return lock != null;
  }

  LeaderLock lock() {
    return lock;
  }

  /** Migrates the schema now if the lock is taken, else as soon as it is. */
  synchronized void migrate(Flyway flyway) {
    if (lock != null) {
      flyway.migrate();
    } else {
      deferred = flyway;
    }
  }

  /** The lock is taken (a candidate's takeover, or again after its connection was lost). */
  synchronized void took(LeaderLock taken) {
    lock = taken;
    if (deferred != null) {
      Flyway waiting = deferred;
      deferred = null;
      waiting.migrate();
    }
  }

  @Override
  public void close() {
    LeaderLock held = lock;
    if (held != null) {
      held.close();
    }
  }
}
