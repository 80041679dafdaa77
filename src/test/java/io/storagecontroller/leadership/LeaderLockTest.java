package io.storagecontroller.leadership;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.storagecontroller.persistence.EmbeddedDatabase;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The leader lock on a real PostgreSQL: one holder per database, re-taken when its session ends. */
class LeaderLockTest {
  @TempDir static Path dir;
  private static EmbeddedDatabase database;
  private static HikariDataSource dataSource;

  private LeaderLock first;
  private LeaderLock second;

  @BeforeAll
  static void startDatabase() {
    database = EmbeddedDatabase.start(dir.resolve("postgres"));
    HikariConfig config = new HikariConfig();
    config.setJdbcUrl(database.jdbcUrl());
    config.setUsername(database.username());
    config.setMaximumPoolSize(6);
    dataSource = new HikariDataSource(config);
  }

  @AfterAll
  static void stopDatabase() throws Exception {
    dataSource.close();
    database.close();
  }

  @AfterEach
  void release() {
    for (LeaderLock lock : new LeaderLock[] {first, second}) {
      if (lock != null) {
        lock.close();
      }
    }
  }

  @Test
  void aSecondControllerIsRefusedUntilTheFirstLetsGo() {
    first = LeaderLock.acquire(dataSource);
    assertThat(first.held()).isTrue();
    assertThatThrownBy(() -> LeaderLock.acquire(dataSource))
        .isInstanceOf(AnotherControllerRunning.class)
        .hasMessageContaining("another storage_controller is running on this database");

    first.close();
    first = null;
    second = LeaderLock.acquire(dataSource);
    assertThat(second.held()).isTrue();
  }

  @Test
  void aLockWhoseSessionWasCutIsTakenAgain() throws SQLException {
    first = LeaderLock.acquire(dataSource);
    AtomicBoolean exited = new AtomicBoolean();
    Leadership leadership = leadership(first, exited);
    terminateLockSessions();
    assertThat(first.held()).isFalse();

    leadership.verifyLock();

    assertThat(exited).isFalse();
    assertThat(lockHolders()).isEqualTo(1);
    // The re-taken lock is the leadership's now: a newcomer is still refused.
    assertThatThrownBy(() -> LeaderLock.acquire(dataSource))
        .isInstanceOf(AnotherControllerRunning.class);
    terminateLockSessions();
  }

  @Test
  void aLockLostToAnotherControllerStopsThisOne() throws SQLException {
    first = LeaderLock.acquire(dataSource);
    AtomicBoolean exited = new AtomicBoolean();
    Leadership leadership = leadership(first, exited);
    terminateLockSessions();
    second = LeaderLock.acquire(dataSource);

    leadership.verifyLock();

    assertThat(exited).isTrue();
    assertThat(second.held()).isTrue();
  }

  private static Leadership leadership(LeaderLock lock, AtomicBoolean exited) {
    return new Leadership(
        lock, dataSource, null, null, new SimpleMeterRegistry(), () -> exited.set(true));
  }

  private static void terminateLockSessions() throws SQLException {
    try (Connection c = dataSource.getConnection();
        Statement st = c.createStatement()) {
      st.execute(
          "SELECT pg_terminate_backend(pid) FROM pg_locks WHERE locktype = 'advisory'"
              + " AND ((classid::bigint << 32) | objid::bigint) = "
              + LeaderLock.KEY);
    }
  }

  private static long lockHolders() throws SQLException {
    try (Connection c = dataSource.getConnection();
        Statement st = c.createStatement();
        var rs =
            st.executeQuery(
                "SELECT count(*) FROM pg_locks WHERE locktype = 'advisory' AND granted"
                    + " AND ((classid::bigint << 32) | objid::bigint) = "
                    + LeaderLock.KEY)) {
      rs.next();
      return rs.getLong(1);
    }
  }
}
