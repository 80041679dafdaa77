package io.storagecontroller.shard;

import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.stereotype.Component;

/**
 * Every shard row, read on a thread of its own from the moment the schema is migrated, while Spring
 * builds the rest of the context: at 100,000 shards that read is the largest step of a restart. The
 * start-up load takes the rows as a candidate takes its read ahead, and then reads only the tenants
 * written since (or, after deletions, compares every row's version), so rows a previous leader
 * committed after this read are not lost.
 *
 * <p>One statement outside any transaction of the store, as the candidate's read ahead: it cannot
 * make a SERIALIZABLE transaction abort, and nothing acts on the rows until the load has caught
 * them up. A failed read (the database still down, a schema this code cannot map) only means the
 * load reads everything itself.
 */
@Component
class ShardRowsAhead {
  private static final Logger log = LoggerFactory.getLogger(ShardRowsAhead.class);

  /**
   * Until taken: dropped then, so the rows do not outlive the load (100,000 rows are tens of MB).
   */
  private CompletableFuture<TenantShardPersistence.ReadAhead> read;

  /** Starts the read; the persistence's JDBC client exists only once Flyway has migrated. */
  @Autowired
  ShardRowsAhead(TenantShardPersistence persistence) {
    this(
        CompletableFuture.supplyAsync(
            () -> {
              long start = System.nanoTime();
              TenantShardPersistence.ReadAhead rows = persistence.listAllVersioned();
              log.info(
                  "read {} tenant shards ahead of the start-up load in {} ms",
                  rows.rows().size(),
                  (System.nanoTime() - start) / 1_000_000);
              return rows;
            },
            task -> {
              Thread thread = new Thread(task, "shard-rows-ahead");
              // A context that fails to start must not wait for it.
              thread.setDaemon(true);
              thread.start();
            }));
  }

  private ShardRowsAhead(CompletableFuture<TenantShardPersistence.ReadAhead> read) {
    this.read = read;
  }

  /** No read ahead: the store reads everything itself (tests that build a store by hand). */
  static ShardRowsAhead none() {
    return of(null);
  }

  /** Rows already read (tests). */
  static ShardRowsAhead of(TenantShardPersistence.ReadAhead rows) {
    return new ShardRowsAhead(CompletableFuture.completedFuture(rows));
  }

  /**
   * The rows read, waiting for the read to end; empty once taken (a second load reads the database)
   * or when the read failed.
   */
  synchronized Optional<TenantShardPersistence.ReadAhead> take() {
    CompletableFuture<TenantShardPersistence.ReadAhead> rows = read;
    if (rows == null) {
      return Optional.empty();
    }
    read = null;
    try {
      return Optional.ofNullable(rows.join());
    } catch (CompletionException e) {
      log.warn(
          "could not read the tenant shards ahead ({}); the start-up load reads them",
          e.getCause() == null ? e.toString() : e.getCause().toString());
      return Optional.empty();
    }
  }
}
