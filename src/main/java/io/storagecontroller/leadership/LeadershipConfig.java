package io.storagecontroller.leadership;

import io.storagecontroller.config.ControllerProperties;
import javax.sql.DataSource;
import org.springframework.boot.flyway.autoconfigure.FlywayMigrationStrategy;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/**
 * The leader lock comes first: nothing, not even the schema migration, runs without it. A leader
 * takes it before anything else; a candidate ({@code --start-as-candidate}) starts without it and
 * takes it when the leader it asked has stepped down ({@link Leadership#takeOver}).
 */
@Configuration(proxyBeanMethods = false)
public class LeadershipConfig {

  @Bean(destroyMethod = "close")
  LeaderLockHolder leaderLock(DataSource dataSource, ControllerProperties properties) {
    return new LeaderLockHolder(
        properties.startAsCandidate() ? null : LeaderLock.acquire(dataSource));
  }

  /** Flyway's migration, run once the lock is taken (Neon migrates after leadership too). */
  @Bean
  FlywayMigrationStrategy migrateAsLeader(LeaderLockHolder lock) {
    return lock::migrate;
  }
}
