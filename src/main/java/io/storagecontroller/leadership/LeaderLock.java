package io.storagecontroller.leadership;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import javax.sql.DataSource;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * "A controller runs on this database": a PostgreSQL session-level advisory lock, taken before the
 * schema is migrated and held on a connection of its own for the life of the process. PostgreSQL
 * releases it when that connection ends, however the process ends (a crash, {@code kill -9}), so a
 * restart never finds it stuck; a second controller started beside a running one finds it taken and
 * refuses to start.
 */
public final class LeaderLock implements AutoCloseable {
  private static final Logger log = LoggerFactory.getLogger(LeaderLock.class);

  /** "storcon" in ASCII: the advisory lock's key, unlikely to be anyone else's. */
  static final long KEY = 0x73746f72636f6eL;

  /** How long ending a holder's session waits for that session to exit. */
  static final long TERMINATE_WAIT_MS = 5_000;

  private final Connection connection;

  private LeaderLock(Connection connection) {
    this.connection = connection;
  }

  /**
   * Takes the lock, or throws {@link AnotherControllerRunning} when another session holds it. Never
   * waits: two controllers starting together get one lock between them.
   */
  public static LeaderLock acquire(DataSource dataSource) {
    Connection connection = null;
    try {
      connection = dataSource.getConnection();
      connection.setAutoCommit(true);
      if (tryLock(connection)) {
        log.info("took the leader lock on this database");
        return new LeaderLock(connection);
      }
      connection.close();
      throw new AnotherControllerRunning();
    } catch (SQLException e) {
      closeQuietly(connection);
      throw new IllegalStateException("could not take the leader lock: " + e.getMessage(), e);
    }
  }

  /**
   * Ends the database sessions holding the lock (a deposed leader that did not step down: frozen,
   * partitioned). Its transactions then fail, and its term no longer matches once the caller leads.
   * Waits (up to {@link #TERMINATE_WAIT_MS}) for each session to have exited: PostgreSQL releases
   * the lock only then, so a caller that tries the lock at once would otherwise still find it held.
   * Returns how many sessions were ended.
   */
  static int terminateHolders(DataSource dataSource) {
    try (Connection connection = dataSource.getConnection();
        PreparedStatement st =
            connection.prepareStatement(
                "SELECT count(*) FILTER (WHERE pg_terminate_backend(pid, ?)) FROM pg_locks"
                    + " WHERE locktype = 'advisory' AND granted"
                    + " AND ((classid::bigint << 32) | objid::bigint) = ?")) {
      st.setLong(1, TERMINATE_WAIT_MS);
      st.setLong(2, KEY);
      try (ResultSet rs = st.executeQuery()) {
        return rs.next() ? rs.getInt(1) : 0;
      }
    } catch (SQLException e) {
      throw new IllegalStateException(
          "could not end the previous leader's database session: " + e.getMessage(), e);
    }
  }

  /** True while this process's lock connection is open and still holds the lock. */
  public boolean held() {
    try (PreparedStatement st =
        connection.prepareStatement(
            "SELECT count(*) FROM pg_locks WHERE locktype = 'advisory' AND granted"
                + " AND pid = pg_backend_pid() AND ((classid::bigint << 32) | objid::bigint) = ?")) {
      st.setLong(1, KEY);
      try (ResultSet rs = st.executeQuery()) {
        return rs.next() && rs.getLong(1) > 0;
      }
    } catch (SQLException e) {
      return false;
    }
  }

  private static boolean tryLock(Connection connection) throws SQLException {
    try (PreparedStatement st = connection.prepareStatement("SELECT pg_try_advisory_lock(?)")) {
      st.setLong(1, KEY);
      try (ResultSet rs = st.executeQuery()) {
        return rs.next() && rs.getBoolean(1);
      }
    }
  }

  @Override
  public void close() {
    try (PreparedStatement st = connection.prepareStatement("SELECT pg_advisory_unlock(?)")) {
      st.setLong(1, KEY);
      st.execute();
    } catch (SQLException e) {
      log.debug("leader lock: unlock failed (the connection's end releases it): {}", e.toString());
    }
    closeQuietly(connection);
  }

  private static void closeQuietly(Connection connection) {
    if (connection == null) {
      return;
    }
    try {
      connection.close();
    } catch (SQLException ignored) {
      // The lock goes with the session either way.
    }
  }
}
