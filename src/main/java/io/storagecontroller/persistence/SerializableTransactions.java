package io.storagecontroller.persistence;

import io.micrometer.core.instrument.Counter;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import io.prometheus.metrics.core.metrics.Histogram;
import io.storagecontroller.model.Refusal;
import java.sql.SQLTransientConnectionException;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.dao.ConcurrencyFailureException;
import org.springframework.dao.DataAccessException;
import org.springframework.dao.DataAccessResourceFailureException;
import org.springframework.jdbc.CannotGetJdbcConnectionException;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.stereotype.Component;
import org.springframework.transaction.PlatformTransactionManager;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * Runs database work in SERIALIZABLE transactions, retrying serialization failures. Neon learned
 * that even unrelated generation increments collide on index pages under weaker isolation (its
 * #7792).
 *
 * <p>Once this controller leads ({@link #fenceAt}), every transaction first reads the leadership
 * term and refuses (503, counted in {@code storage_controller_fenced_transactions_total}) when
 * another controller has taken a newer one. Under SERIALIZABLE that read conflicts with the new
 * leader's increment, so a deposed controller that has not noticed yet (a long pause, a partition)
 * can commit nothing the new leader does not see: no generation, no intent.
 */
@Component
public class SerializableTransactions {
  private static final Logger log = LoggerFactory.getLogger(SerializableTransactions.class);

  /** Neon retries up to 128 times. */
  static final int MAX_ATTEMPTS = 128;

  private static final long UNFENCED = -1;

  private final TransactionTemplate template;
  private final JdbcTemplate jdbc;
  private final Counter fenced;
  private final io.prometheus.metrics.core.metrics.Counter errors;
  private final Histogram latency;
  private volatile long term = UNFENCED;

  public SerializableTransactions(
      PlatformTransactionManager transactions,
      JdbcTemplate jdbc,
      PrometheusMeterRegistry registry) {
    // The isolation is set by the transaction's first statement rather than by the template: the
    // template would ask the driver for the connection's level (a query), change it for the
    // session (another) and change it back after the commit (a third): three round trips per
    // transaction, about half of the samples inside an evacuation's transactions (JFR).
    this.template = new TransactionTemplate(transactions);
    this.jdbc = jdbc;
    this.fenced =
        Counter.builder("storage_controller_fenced_transactions")
            .description("Transactions refused because another controller took a newer term")
            .register(registry);
    // Neon's two families are registered with the Prometheus client directly, as the HTTP metrics:
    // Micrometer would add a _max family Neon does not have to the histogram (whose buckets are
    // Neon's 0.1 to 1.6 s), and would declare the counter only at the first error.
    this.errors =
        io.prometheus.metrics.core.metrics.Counter.builder()
            .name("storage_controller_database_query_error")
            .help("Database transactions that failed, by error type and operation")
            .labelNames("error_type", "operation")
            .withoutExemplars()
            .register(registry.getPrometheusRegistry());
    this.latency =
        Histogram.builder()
            .name("storage_controller_database_query_latency")
            .help("Database transactions' duration in seconds, retries included")
            .labelNames("operation")
            .classicOnly()
            .classicUpperBounds(0.1, 0.2, 0.4, 0.8, 1.6)
            .withoutExemplars()
            .register(registry.getPrometheusRegistry());
  }

  /** From now on every transaction requires the leadership term to still be {@code leaderTerm}. */
  public void fenceAt(long leaderTerm) {
    this.term = leaderTerm;
  }

  /**
   * Runs {@code work} in a SERIALIZABLE transaction named {@code operation} (Neon's database
   * operation names: {@code storage_controller_database_query_latency} and {@code
   * ..._database_query_error} are labelled with it).
   */
  public <T> T execute(String operation, Supplier<T> work) {
    long started = System.nanoTime();
    try {
      for (int attempt = 1; ; attempt++) {
        try {
          return template.execute(
              status -> {
                if (status.isNewTransaction()) {
                  jdbc.execute("SET TRANSACTION ISOLATION LEVEL SERIALIZABLE");
                }
                checkTerm(operation);
                return work.get();
              });
        } catch (ConcurrencyFailureException e) {
          if (attempt >= MAX_ATTEMPTS) {
            throw e;
          }
          log.debug("serialization failure in {} (attempt {}), retrying", operation, attempt);
        }
      }
    } catch (DataAccessException e) {
      errors.labelValues(errorType(e), operation).inc();
      throw e;
    } finally {
      latency.labelValues(operation).observe((System.nanoTime() - started) / 1e9);
    }
  }

  /** Neon's error types: connection, connection_pool, query. */
  static String errorType(DataAccessException e) {
    if (e instanceof CannotGetJdbcConnectionException) {
      return e.getCause() instanceof SQLTransientConnectionException
          ? "connection_pool"
          : "connection";
    }
    if (e instanceof DataAccessResourceFailureException) {
      return "connection";
    }
    return "query";
  }

  private void checkTerm(String operation) {
    long mine = term;
    if (mine == UNFENCED) {
      return;
    }
    Long current = jdbc.queryForObject("SELECT term FROM leader_term", Long.class);
    if (current == null || current != mine) {
      fenced.increment();
      log.error(
          "{} refused: this controller leads term {} but the database is at term {}",
          operation,
          mine,
          current);
      throw Refusal.unavailable(
          "this controller is no longer the leader (its term "
              + mine
              + ", the database's "
              + current
              + ")");
    }
  }

  public void run(String operation, Runnable work) {
    execute(
        operation,
        () -> {
          work.run();
          return null;
        });
  }
}
