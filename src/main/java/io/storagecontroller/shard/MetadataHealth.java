package io.storagecontroller.shard;

import io.storagecontroller.model.Refusal;
import io.storagecontroller.model.TenantShardId;
import io.storagecontroller.persistence.SerializableTransactions;
import java.time.Clock;
import java.time.Duration;
import java.time.OffsetDateTime;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.springframework.dao.DataIntegrityViolationException;
import org.springframework.stereotype.Component;

/**
 * The scrubber's record of each shard's remote metadata ({@code metadata_health}): a row is made
 * with each shard and goes with it; the scrubber reports healthy and unhealthy shards, operators
 * list the unhealthy ones and those not scrubbed for a while.
 */
@Component
public class MetadataHealth {
  private final ShardStore store;
  private final TenantShardPersistence persistence;
  private final SerializableTransactions transactions;
  private final Clock clock;

  MetadataHealth(
      ShardStore store, TenantShardPersistence persistence, SerializableTransactions transactions) {
    this.store = store;
    this.persistence = persistence;
    this.transactions = transactions;
    this.clock = Clock.systemUTC();
  }

  /**
   * Records one scrub: every shard named must be known (404 naming the first that is not, and
   * nothing recorded); a shard named in both lists is unhealthy.
   */
  public void record(List<TenantShardId> healthy, List<TenantShardId> unhealthy) {
    Map<TenantShardId, Boolean> verdicts = new LinkedHashMap<>();
    healthy.forEach(id -> verdicts.put(id, true));
    unhealthy.forEach(id -> verdicts.put(id, false));
    for (TenantShardId id : verdicts.keySet()) {
      if (store.shard(id).isEmpty()) {
        throw notFound(id);
      }
    }
    if (verdicts.isEmpty()) {
      return;
    }
    OffsetDateTime now = OffsetDateTime.now(clock);
    try {
      transactions.run("update_metadata_health", () -> persistence.recordScrub(verdicts, now));
    } catch (DataIntegrityViolationException deletedMeanwhile) {
      throw Refusal.notFound(
          "A tenant shard of this scrub was deleted meanwhile; nothing recorded");
    }
  }

  public List<TenantShardId> unhealthy() {
    return transactions.execute("list_metadata_health_unhealthy", persistence::unhealthy);
  }

  /** Records not scrubbed for at least this long. */
  public List<MetadataHealthRecord> notScrubbedFor(Duration age) {
    OffsetDateTime since = OffsetDateTime.now(clock).minus(age);
    return transactions.execute(
        "list_metadata_health_outdated", () -> persistence.scrubbedBefore(since));
  }

  private static Refusal notFound(TenantShardId id) {
    return Refusal.notFound("Tenant shard " + id + " not found");
  }
}
