package io.storagecontroller.leadership;

import io.storagecontroller.config.ControllerProperties;
import javax.sql.DataSource;
import org.springframework.boot.flyway.autoconfigure.FlywayMigrationStrategy;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/**
 * The leader lock comes first: nothing, not even the schema migration, runs without it. A candidate
 * ({@code --start-as-candidate}) asks the current leader to step down to get it.
 */
@Configuration(proxyBeanMethods = false)
public class LeadershipConfig {

  @Bean(destroyMethod = "close")
  LeaderLock leaderLock(DataSource dataSource, ControllerProperties properties) {
    return properties.startAsCandidate()
        ? Candidacy.takeOver(dataSource, properties)
        : LeaderLock.acquire(dataSource);
  }

  /** Flyway's migration, run once the lock is taken (Neon migrates after leadership too). */
  @Bean
  FlywayMigrationStrategy migrateAsLeader(LeaderLock lock) {
    return flyway -> flyway.migrate();
  }
}
