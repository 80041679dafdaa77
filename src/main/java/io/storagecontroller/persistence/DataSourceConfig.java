package io.storagecontroller.persistence;

import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;
import io.storagecontroller.config.ControllerProperties;
import java.io.IOException;
import java.io.UncheckedIOException;
import javax.sql.DataSource;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/** The database: the configured PostgreSQL, or the embedded one when none is configured. */
@Configuration(proxyBeanMethods = false)
public class DataSourceConfig {
  private static final Logger log = LoggerFactory.getLogger(DataSourceConfig.class);

  /** Neon caps its pool at 99 connections; the embedded server allows 200. */
  private static final int MAX_POOL_SIZE = 99;

  @Bean(destroyMethod = "close")
  DataSource dataSource(ControllerProperties properties) {
    HikariConfig config = new HikariConfig();
    config.setPoolName("storage_controller");
    config.setMaximumPoolSize(MAX_POOL_SIZE);
    config.setMinimumIdle(2);
    config.setConnectionTimeout(Math.max(250, properties.dbConnectTimeout().toMillis()));
    if (!properties.embeddedDatabase()) {
      DatabaseUrl url = DatabaseUrl.parse(properties.databaseUrl());
      config.setJdbcUrl(url.jdbcUrl());
      config.setUsername(url.username());
      config.setPassword(url.password());
      log.info("using PostgreSQL at {}", url);
      return new HikariDataSource(config);
    }
    EmbeddedDatabase db = EmbeddedDatabase.start(properties.dataDir().resolve("postgres"));
    config.setJdbcUrl(db.jdbcUrl());
    config.setUsername(db.username());
    return new EmbeddedPoolDataSource(config, db);
  }

  /** The pool over the embedded server; closing it closes the pool first, then stops the server. */
  static final class EmbeddedPoolDataSource extends HikariDataSource {
    private final transient EmbeddedDatabase db;

    EmbeddedPoolDataSource(HikariConfig config, EmbeddedDatabase db) {
      super(config);
      this.db = db;
    }

    @Override
    public void close() {
      super.close();
      try {
        db.close();
      } catch (IOException e) {
        throw new UncheckedIOException(e);
      }
    }
  }
}
