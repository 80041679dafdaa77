package io.storagecontroller.shard;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.storagecontroller.model.Generation;
import io.storagecontroller.model.TenantShardId;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.stereotype.Component;

/**
 * Shards for which a pageserver reported a generation newer than the database's: the database came
 * back behind (a failover to an asynchronous replica, a restore from backup). Issuing the next
 * generation could hand out one a pageserver already holds, so the store issues none for these
 * shards until an operator repairs the database and restarts; {@code /ready} answers 503 naming
 * them.
 */
@Component
public class GenerationRegressions {
  private static final Logger log = LoggerFactory.getLogger(GenerationRegressions.class);

  /** What was found: the generation the database holds and the newer one a pageserver reported. */
  public record Regression(TenantShardId shard, Generation stored, Generation reported) {}

  private final Map<TenantShardId, Regression> found = new ConcurrentHashMap<>();
  private final Counter detections;

  public GenerationRegressions(MeterRegistry registry) {
    this.detections =
        Counter.builder("storage_controller_generation_regressions")
            .description("Pageserver reports of a generation newer than the database's")
            .register(registry);
    Gauge.builder("storage_controller_generation_regressed_shards", found, Map::size)
        .description("Shards that issue no generation: a pageserver holds a newer one")
        .register(registry);
  }

  /**
   * A pageserver reported {@code reported} for the shard; the database holds {@code stored}.
   * Returns whether that is a regression (reported newer), recording it.
   */
  boolean check(TenantShardId shard, Generation stored, Long reported, String where) {
    if (reported == null || (stored != null && reported <= stored.value())) {
      return false;
    }
    Regression regression = new Regression(shard, stored, Generation.of(reported));
    Regression before = found.put(shard, regression);
    detections.increment();
    if (before == null || !before.equals(regression)) {
      log.error(
          "{}: {} reported generation {} but the database holds {}: the database is behind (a"
              + " restore or a replica failover?); no generation is issued for this shard until"
              + " it is repaired",
          shard,
          where,
          reported,
          stored == null ? "none" : stored.value());
    }
    return true;
  }

  public boolean isRegressed(TenantShardId shard) {
    return found.containsKey(shard);
  }

  public int count() {
    return found.size();
  }

  /** One of them, for the operator's message. */
  public Optional<Regression> example() {
    return found.values().stream().findFirst();
  }

  /** The shard is gone (deleted, split): nothing is left to protect. */
  void forget(TenantShardId shard) {
    found.remove(shard);
  }
}
