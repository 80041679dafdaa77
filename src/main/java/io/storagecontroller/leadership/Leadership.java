package io.storagecontroller.leadership;

import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.storagecontroller.config.ControllerProperties;
import java.time.OffsetDateTime;
import java.util.Optional;
import javax.sql.DataSource;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.InitializingBean;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Component;

/**
 * This controller's leadership of its database. Today one controller runs per database: {@link
 * LeaderLock} (taken before the schema is migrated) makes a second one refuse to start, and this
 * class records the leader in Neon's {@code controllers} row, watches the lock, and stops the
 * process if it is ever lost to another controller.
 */
@Component
public class Leadership implements InitializingBean {
  private static final Logger log = LoggerFactory.getLogger(Leadership.class);

  /** Neon's {@code controllers} row: who leads, since when. */
  public record Leader(String address, OffsetDateTime startedAt) {}

  private final DataSource dataSource;
  private final JdbcClient jdbc;
  private final ControllerProperties properties;
  private final Runnable exit;
  private volatile LeaderLock lock;

  @Autowired
  public Leadership(
      LeaderLock lock,
      DataSource dataSource,
      JdbcClient jdbc,
      ControllerProperties properties,
      MeterRegistry registry) {
    this(lock, dataSource, jdbc, properties, registry, () -> System.exit(1));
  }

  Leadership(
      LeaderLock lock,
      DataSource dataSource,
      JdbcClient jdbc,
      ControllerProperties properties,
      MeterRegistry registry,
      Runnable exit) {
    this.lock = lock;
    this.dataSource = dataSource;
    this.jdbc = jdbc;
    this.properties = properties;
    this.exit = exit;
    // Neon's gauge: 1 for the current status. Candidate and stepped-down come with the handover.
    for (String status : new String[] {"leader", "candidate", "stepped_down"}) {
      Gauge.builder("storage_controller_leadership_status", () -> status.equals("leader") ? 1 : 0)
          .description("This controller's leadership: 1 for its current status")
          .tag("status", status)
          .register(registry);
    }
  }

  /**
   * Records this instance as the leader (Neon's single {@code controllers} row), when it has an
   * address for peers; without one there is nothing peers could use, as in Neon.
   */
  @Override
  public void afterPropertiesSet() {
    String address = properties.addressForPeers();
    if (address == null || address.isBlank()) {
      return;
    }
    // Only the lock holder writes the row, so replacing it is the compare-and-set.
    jdbc.sql("DELETE FROM controllers").update();
    jdbc.sql("INSERT INTO controllers (address, started_at) VALUES (?, now())")
        .param(address)
        .update();
    log.info("recorded this controller as the leader at {}", address);
  }

  /** The leader recorded in the database, if any. */
  public Optional<Leader> leader() {
    return jdbc.sql("SELECT address, started_at FROM controllers ORDER BY started_at DESC LIMIT 1")
        .query(
            (rs, row) -> new Leader(rs.getString(1), rs.getObject(2, OffsetDateTime.class)))
        .optional();
  }

  /**
   * Checks that the leader lock is still held (its connection may have been cut): takes it again
   * if nobody else has, and stops the process if another controller has, so that two never act
   * at once.
   */
  public void verifyLock() {
    if (lock.held()) {
      return;
    }
    LeaderLock lost = lock;
    try {
      lock = LeaderLock.acquire(dataSource);
      log.warn("the leader lock's connection was lost; took the lock again");
    } catch (AnotherControllerRunning e) {
      log.error("lost the leader lock to another controller: stopping this one");
      exit.run();
    } catch (IllegalStateException e) {
      log.warn("leader lock not held and the database unreachable: {}", e.getMessage());
      return;
    }
    lost.close();
  }
}
