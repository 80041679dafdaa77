package io.storagecontroller.tools.chaos;

import io.storagecontroller.persistence.EmbeddedDatabase;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The soak's PostgreSQL, which the soak breaks: every connection cut at once (as a failover or a
 * proxy restart does), or the server stopped for a while and started again on the same port.
 */
final class ChaosDatabase implements AutoCloseable {
  private static final Logger log = LoggerFactory.getLogger(ChaosDatabase.class);

  private final Path dataDir;
  private EmbeddedDatabase database;

  ChaosDatabase(Path dataDir) {
    this.dataDir = dataDir;
    this.database = EmbeddedDatabase.start(dataDir);
  }

  synchronized String url() {
    return database.databaseUrl();
  }

  /** Terminates every other backend: the controller's pool loses all its connections. */
  synchronized int cutConnections() {
    try (Connection admin =
            DriverManager.getConnection(
                database.jdbcUrl(), database.username(), database.password());
        Statement statement = admin.createStatement();
        ResultSet cut =
            statement.executeQuery(
                "SELECT count(pg_terminate_backend(pid)) FROM pg_stat_activity"
                    + " WHERE pid <> pg_backend_pid() AND backend_type = 'client backend'")) {
      cut.next();
      int connections = cut.getInt(1);
      log.info("chaos: cut {} database connections", connections);
      return connections;
    } catch (SQLException e) {
      throw new IllegalStateException("could not cut the database's connections", e);
    }
  }

  /** Stops the server, waits {@code down}, and starts it again on the same port. */
  synchronized void restart(Duration down) {
    int port = database.port();
    log.info("chaos: stopping PostgreSQL for {}", down);
    try {
      database.close();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    try {
      Thread.sleep(down.toMillis());
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
    database = EmbeddedDatabase.start(dataDir, port);
    log.info("chaos: PostgreSQL is back on port {}", port);
  }

  @Override
  public synchronized void close() throws IOException {
    database.close();
  }
}
