package io.storagecontroller.leadership;

import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.storagecontroller.config.ControllerProperties;
import io.storagecontroller.persistence.SerializableTransactions;
import java.time.OffsetDateTime;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.function.Consumer;
import javax.sql.DataSource;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.InitializingBean;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.context.ApplicationEventPublisher;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Component;

/**
 * This controller's leadership of its database. A leader holds {@link LeaderLock} from its start
 * (before the schema is migrated); a candidate starts without it, serving only its probes, and
 * {@link #takeOver takes over} once up: asks the previous leader to step down, takes the lock,
 * migrates. Either way it then takes the next leadership term and fences every transaction with it,
 * records itself in Neon's {@code controllers} row, watches the lock, and steps down when a
 * candidate asks.
 */
@Component
public class Leadership implements InitializingBean {
  private static final Logger log = LoggerFactory.getLogger(Leadership.class);

  /** Neon's {@code controllers} row: who leads, since when. */
  public record Leader(String address, OffsetDateTime startedAt) {}

  private final DataSource dataSource;
  private final JdbcClient jdbc;
  private final SerializableTransactions transactions;
  private final String addressForPeers;
  private final String peerJwtToken;
  private final Runnable deposed;
  private final LeaderLockHolder lock;
  private volatile LeadershipStatus status = LeadershipStatus.CANDIDATE;
  private volatile long term;

  @Autowired
  public Leadership(
      LeaderLockHolder lock,
      DataSource dataSource,
      JdbcClient jdbc,
      SerializableTransactions transactions,
      ControllerProperties properties,
      MeterRegistry registry,
      ApplicationEventPublisher events) {
    this(
        lock,
        dataSource,
        jdbc,
        transactions,
        properties.addressForPeers(),
        properties.peerJwtToken(),
        registry,
        () -> events.publishEvent(new LeaderLockLost()));
  }

  Leadership(
      LeaderLockHolder lock,
      DataSource dataSource,
      JdbcClient jdbc,
      SerializableTransactions transactions,
      String addressForPeers,
      String peerJwtToken,
      MeterRegistry registry,
      Runnable deposed) {
    this.lock = lock;
    this.peerJwtToken = peerJwtToken;
    this.dataSource = dataSource;
    this.jdbc = jdbc;
    this.transactions = transactions;
    this.addressForPeers = addressForPeers;
    this.deposed = deposed;
    for (LeadershipStatus s : LeadershipStatus.values()) {
      Gauge.builder("storage_controller_leadership_status", () -> status == s ? 1 : 0)
          .description("This controller's leadership: 1 for its current status")
          .tag("status", s.metricName())
          .register(registry);
    }
  }

  /** A leader leads from its start; a candidate once it has {@link #takeOver taken over}. */
  @Override
  public void afterPropertiesSet() {
    if (lock.taken()) {
      lead();
    }
  }

  /**
   * A candidate's takeover: asks the leader recorded in the database to step down (waiting for its
   * lock, or ending its session after {@link Candidacy#STEP_DOWN_WAIT}), takes the lock, migrates
   * the schema and leads. What the leader had observed, read ahead of its step-down, goes to {@code
   * observedAhead} first. Returns what the previous leader had observed, when it said, as it is
   * being read.
   */
  public synchronized CompletableFuture<Optional<ObservedSnapshot>> takeOver(
      Consumer<ObservedSnapshot> observedAhead) {
    if (status != LeadershipStatus.CANDIDATE) {
      return CompletableFuture.completedFuture(Optional.empty());
    }
    lock.checkMigrations();
    Candidacy.Outcome outcome =
        Candidacy.takeOver(dataSource, addressForPeers, peerJwtToken, observedAhead);
    lock.took(outcome.lock());
    lead();
    return outcome.snapshot();
  }

  /**
   * Takes the next term and fences every transaction with it, then records this instance as the
   * leader (Neon's single {@code controllers} row) when it has an address for peers.
   */
  private void lead() {
    term =
        jdbc.sql("UPDATE leader_term SET term = term + 1 RETURNING term")
            .query(Long.class)
            .single();
    transactions.fenceAt(term);
    String address = addressForPeers;
    if (address != null && !address.isBlank()) {
      // Only the lock holder writes the row, so replacing it is the compare-and-set.
      jdbc.sql("DELETE FROM controllers").update();
      jdbc.sql("INSERT INTO controllers (address, started_at) VALUES (?, now())")
          .param(address)
          .update();
    }
    status = LeadershipStatus.LEADER;
    log.info(
        "leading this database in term {}{}",
        term,
        address == null || address.isBlank() ? "" : " as " + address);
  }

  public LeadershipStatus status() {
    return status;
  }

  public long term() {
    return term;
  }

  /** The leader recorded in the database, if any. */
  public Optional<Leader> leader() {
    return jdbc.sql("SELECT address, started_at FROM controllers ORDER BY started_at DESC LIMIT 1")
        .query((rs, row) -> new Leader(rs.getString(1), rs.getObject(2, OffsetDateTime.class)))
        .optional();
  }

  /**
   * Steps down: gives up the leader lock, so the candidate that asked can take it. The caller has
   * stopped the background work first; from now on this instance forwards requests to the leader.
   */
  public synchronized void stepDown() {
    if (status == LeadershipStatus.STEPPED_DOWN) {
      return;
    }
    status = LeadershipStatus.STEPPED_DOWN;
    lock.close();
    log.warn("stepped down from term {}: forwarding requests to the next leader", term);
  }

  /**
   * Checks that the leader lock is still held (its connection may have been cut): takes it again if
   * nobody else has. If another controller has, this one was deposed without being asked (it was
   * frozen or cut off across a handover): it announces {@link LeaderLockLost} so that everything
   * acting on its memory stops, and it steps down. Its term fences whatever was already under way.
   */
  public void verifyLock() {
    if (lockLostToAnother()) {
      log.error("lost the leader lock to another controller: term {} is over, stepping down", term);
      // Outside this object's monitor: the listeners stop work that may be waiting on it.
      deposed.run();
      stepDown();
    }
  }

  private synchronized boolean lockLostToAnother() {
    if (status != LeadershipStatus.LEADER || lock.lock().held()) {
      return false;
    }
    LeaderLock lost = lock.lock();
    try {
      lock.took(LeaderLock.acquire(dataSource));
      log.warn("the leader lock's connection was lost; took the lock again");
    } catch (AnotherControllerRunning e) {
      return true;
    } catch (IllegalStateException e) {
      log.warn("leader lock not held and the database unreachable: {}", e.getMessage());
      return false;
    }
    lost.close();
    return false;
  }
}
