package io.storagecontroller.leadership;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.mockito.Mockito.mock;
import static org.mockito.Mockito.never;
import static org.mockito.Mockito.verify;
import static org.mockito.Mockito.when;

import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import io.storagecontroller.model.Refusal;
import io.storagecontroller.persistence.EmbeddedDatabase;
import io.storagecontroller.persistence.SerializableTransactions;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import javax.sql.DataSource;
import org.flywaydb.core.Flyway;
import org.flywaydb.core.api.FlywayException;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.jdbc.datasource.DataSourceTransactionManager;

/**
 * The leader lock on a real PostgreSQL: one holder per database, re-taken when its session ends.
 */
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
    config.setPassword(database.password());
    config.setMaximumPoolSize(6);
    dataSource = new HikariDataSource(config);
    JdbcClient.create(dataSource)
        .sql(
            "CREATE TABLE leader_term (term BIGINT NOT NULL); INSERT INTO leader_term VALUES (0);"
                + " CREATE TABLE controllers (address VARCHAR NOT NULL,"
                + " started_at TIMESTAMPTZ NOT NULL, PRIMARY KEY (address, started_at))")
        .update();
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

  /**
   * A candidate migrates only once it holds the lock; a migration check it could not make before
   * the takeover (the database restarting) is no reason to skip the migration after it.
   */
  @Test
  void aCandidateThatCouldNotCheckItsMigrationsMigratesOnceItLeads() {
    Flyway flyway = mock(Flyway.class);
    when(flyway.info()).thenThrow(new FlywayException("Connection refused"));
    LeaderLockHolder candidate = new LeaderLockHolder(null);

    candidate.migrate(flyway);
    candidate.checkMigrations();
    verify(flyway, never()).migrate();

    first = LeaderLock.acquire(dataSource);
    candidate.took(first);
    verify(flyway).migrate();
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

  /**
   * A candidate whose database is briefly unreachable while it takes over (a restart, a failover)
   * keeps trying rather than exit: the old leader may already have stepped down.
   */
  @Test
  void aCandidateRetriesTheLockWhileTheDatabaseCannotBeReached() {
    AtomicInteger refusals = new AtomicInteger(3);
    DataSource flaky =
        (DataSource)
            java.lang.reflect.Proxy.newProxyInstance(
                getClass().getClassLoader(),
                new Class<?>[] {DataSource.class},
                (proxy, method, args) -> {
                  if (method.getName().equals("getConnection") && refusals.getAndDecrement() > 0) {
                    throw new SQLException("Connection refused");
                  }
                  try {
                    return method.invoke(dataSource, args);
                  } catch (java.lang.reflect.InvocationTargetException e) {
                    throw e.getCause();
                  }
                });

    Candidacy.Outcome outcome = Candidacy.takeOver(flaky, "http://b:1234", null, ahead -> {});
    first = outcome.lock();

    assertThat(refusals.get()).isNegative();
    assertThat(first.held()).isTrue();
  }

  @Test
  void aLockWhoseSessionWasCutIsTakenAgain() throws SQLException {
    first = LeaderLock.acquire(dataSource);
    AtomicBoolean deposed = new AtomicBoolean();
    Leadership leadership = leadership(first, deposed);
    terminateLockSessions();
    assertThat(first.held()).isFalse();

    leadership.verifyLock();

    assertThat(deposed).isFalse();
    assertThat(leadership.status()).isEqualTo(LeadershipStatus.LEADER);
    assertThat(lockHolders()).isEqualTo(1);
    // The re-taken lock is the leadership's now: a newcomer is still refused.
    assertThatThrownBy(() -> LeaderLock.acquire(dataSource))
        .isInstanceOf(AnotherControllerRunning.class);
    terminateLockSessions();
  }

  @Test
  void aLockLostToAnotherControllerStepsThisOneDown() throws SQLException {
    first = LeaderLock.acquire(dataSource);
    AtomicBoolean deposed = new AtomicBoolean();
    Leadership leadership = leadership(first, deposed);
    terminateLockSessions();
    second = LeaderLock.acquire(dataSource);

    leadership.verifyLock();

    assertThat(deposed).isTrue();
    assertThat(leadership.status()).isEqualTo(LeadershipStatus.STEPPED_DOWN);
    assertThat(second.held()).isTrue();
  }

  /**
   * A candidate's newer term fences every transaction of the leader it replaced: refused with 503,
   * counted, nothing written.
   */
  @Test
  void aNewerTermFencesTheOldLeadersTransactions() {
    first = LeaderLock.acquire(dataSource);
    PrometheusMeterRegistry registry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
    SerializableTransactions transactions = transactions(registry);
    Leadership leadership =
        new Leadership(
            new LeaderLockHolder(first),
            dataSource,
            JdbcClient.create(dataSource),
            transactions,
            "http://a:1234",
            null,
            registry,
            () -> {});
    leadership.afterPropertiesSet();
    assertThat(leadership.status()).isEqualTo(LeadershipStatus.LEADER);
    assertThat(leadership.leader().orElseThrow().address()).isEqualTo("http://a:1234");
    assertThat(transactions.execute("read", () -> 1)).isEqualTo(1);

    // Another controller takes the next term (as a candidate's start does).
    JdbcClient.create(dataSource).sql("UPDATE leader_term SET term = term + 1").update();

    assertThatThrownBy(
            () ->
                transactions.run(
                    "write",
                    () -> JdbcClient.create(dataSource).sql("DELETE FROM controllers").update()))
        .isInstanceOf(Refusal.class)
        .hasMessageContaining("no longer the leader");
    assertThat(registry.counter("storage_controller_fenced_transactions").count()).isEqualTo(1);
    assertThat(leadership.leader()).isPresent();
  }

  private static SerializableTransactions transactions(PrometheusMeterRegistry registry) {
    return new SerializableTransactions(
        new DataSourceTransactionManager(dataSource), new JdbcTemplate(dataSource), registry);
  }

  private static Leadership leadership(LeaderLock lock, AtomicBoolean deposed) {
    PrometheusMeterRegistry registry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
    Leadership leadership =
        new Leadership(
            new LeaderLockHolder(lock),
            dataSource,
            JdbcClient.create(dataSource),
            transactions(registry),
            null,
            null,
            registry,
            () -> deposed.set(true));
    leadership.afterPropertiesSet();
    return leadership;
  }

  /** Ends the lock's sessions and returns once they have exited (and so released the lock). */
  private static void terminateLockSessions() throws SQLException {
    assertThat(LeaderLock.terminateHolders(dataSource)).isPositive();
    assertThat(lockHolders()).isZero();
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
