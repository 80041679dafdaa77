package io.storagecontroller.persistence;

import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;
import io.storagecontroller.config.ControllerProperties;
import javax.sql.DataSource;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/** The database: the configured PostgreSQL, or the embedded one when none is configured. */
@Configuration(proxyBeanMethods = false)
public class DataSourceConfig {
  private static final Logger log = LoggerFactory.getLogger(DataSourceConfig.class);

  /** Neon caps its pool at 99 connections; the embedded server allows 200. */
  private static final int MAX_POOL_SIZE = 99;

  @Bean(destroyMethod = "close")
  DataSource dataSource(
      ControllerProperties properties, ObjectProvider<EarlyDatabaseStart.Starting> embedded) {
    HikariConfig config = new HikariConfig();
    config.setPoolName("storage_controller");
    config.setMaximumPoolSize(MAX_POOL_SIZE);
    config.setMinimumIdle(2);
    config.setConnectionTimeout(Math.max(250, properties.dbConnectTimeout().toMillis()));
    if (properties.startAsCandidate()) {
      // A rolling deploy can meet a database restart: the candidate starts without a connection
      // and its takeover waits for the database (a leader still refuses to start without one).
      config.setInitializationFailTimeout(-1);
    }
    if (!properties.embeddedDatabase()) {
      DatabaseUrl url = DatabaseUrl.parse(properties.databaseUrl());
      config.setJdbcUrl(url.jdbcUrl());
      config.setUsername(url.username());
      config.setPassword(url.password());
      log.info("using PostgreSQL at {}", url);
      return new HikariDataSource(config);
    }
    // Started by EarlyDatabaseStart, which also stops it after this pool is closed.
    EmbeddedDatabase db = embedded.getObject().get();
    config.setJdbcUrl(db.jdbcUrl());
    config.setUsername(db.username());
    config.setPassword(db.password());
    return new HikariDataSource(config);
  }
}
