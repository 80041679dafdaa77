package io.storagecontroller.leadership;

import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import org.flywaydb.core.Flyway;
import org.flywaydb.core.api.FlywayException;
import org.flywaydb.core.api.configuration.Configuration;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The leader lock this process holds, or is yet to take. A leader takes it at once, before the
 * schema is migrated; a candidate ({@code --start-as-candidate}) starts without it, answering only
 * its probes, and takes it once the leader has stepped down. The schema migration waits for the
 * lock either way: a new version never migrates under a running leader of the old one.
 */
public final class LeaderLockHolder implements AutoCloseable {
  private static final Logger log = LoggerFactory.getLogger(LeaderLockHolder.class);

  private volatile LeaderLock lock;
  private Flyway deferred;

  /** Rows of the migration history when a candidate found nothing to migrate; -1 if unchecked. */
  private long upToDateAt = -1;

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

  /**
   * A candidate, before it asks the leader to step down: checks (reading only) whether its schema
   * has anything to migrate, so that the takeover need not scan and validate the migrations again
   * while no controller leads. Only a lock holder migrates, so the answer holds while the history
   * does not change.
   */
  synchronized void checkMigrations() {
    if (deferred == null) {
      return;
    }
    int pending;
    try {
      pending = deferred.info().pending().length;
    } catch (FlywayException unreadable) {
      log.warn(
          "candidate: cannot check migrations yet ({}); migrating once leading",
          unreadable.getMessage());
      return;
    }
    upToDateAt = pending == 0 ? historyRows(deferred) : -1;
    log.info(
        "candidate: {} schema migrations to run once leading",
        pending == 0 ? "no" : String.valueOf(pending));
  }

  /** The lock is taken (a candidate's takeover, or again after its connection was lost). */
  synchronized void took(LeaderLock taken) {
    lock = taken;
    if (deferred != null) {
      Flyway waiting = deferred;
      deferred = null;
      if (upToDateAt >= 0 && historyRows(waiting) == upToDateAt) {
        log.info("schema up to date (checked before the takeover)");
      } else {
        waiting.migrate();
      }
    }
  }

  private static long historyRows(Flyway flyway) {
    Configuration config = flyway.getConfiguration();
    String schema = config.getSchemas().length > 0 ? config.getSchemas()[0] : null;
    String table = (schema == null ? "" : "\"" + schema + "\".") + "\"" + config.getTable() + "\"";
    try (Connection connection = config.getDataSource().getConnection();
        Statement st = connection.createStatement();
        ResultSet rs = st.executeQuery("SELECT count(*) FROM " + table)) {
      rs.next();
      return rs.getLong(1);
    } catch (SQLException noHistoryYet) {
      return -2;
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
