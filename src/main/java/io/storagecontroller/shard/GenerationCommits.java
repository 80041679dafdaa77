package io.storagecontroller.shard;

import io.storagecontroller.model.Generation;
import io.storagecontroller.model.NodeId;
import io.storagecontroller.model.TenantShardId;
import io.storagecontroller.persistence.SerializableTransactions;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Group commit of generation increments: the increments asked for while one commits are issued
 * together by the next, in one SERIALIZABLE transaction and one statement, instead of one
 * transaction each. Each caller still gets its own answer (or the transaction's failure), only
 * after the commit: nothing is issued that the database has not committed.
 *
 * <p>No thread of its own: a caller that finds no commit running commits what is queued (its own
 * increment among them) and hands over; callers that find one running wait for it, and the first to
 * wake with its increment still queued commits the next group. The monitor guards only the queue,
 * never the database call.
 */
final class GenerationCommits {
  /** An increment asked for: the answer, once its group committed. */
  private static final class Ask {
    final TenantShardId shard;
    final NodeId node;
    boolean done;
    Generation issued;
    RuntimeException failure;

    Ask(TenantShardId shard, NodeId node) {
      this.shard = shard;
      this.node = node;
    }
  }

  /** Bounds one statement's size; the rest waits for the next group. */
  static final int MAX_GROUP = 512;

  private final SerializableTransactions transactions;
  private final TenantShardPersistence persistence;
  private final List<Ask> queued = new ArrayList<>();
  private boolean committing;

  GenerationCommits(SerializableTransactions transactions, TenantShardPersistence persistence) {
    this.transactions = transactions;
    this.persistence = persistence;
  }

  /** The shard's next generation, issued to {@code node}; empty when the shard is gone. */
  Optional<Generation> issue(TenantShardId shard, NodeId node) {
    Ask mine = new Ask(shard, node);
    synchronized (this) {
      queued.add(mine);
    }
    boolean interrupted = false;
    try {
      while (true) {
        Map<TenantShardId, Ask> group;
        synchronized (this) {
          while (committing && !mine.done) {
            try {
              wait();
            } catch (InterruptedException e) {
              // The increment may be in a group being committed: wait for its answer.
              interrupted = true;
            }
          }
          if (mine.done) {
            return answer(mine);
          }
          committing = true;
          group = takeGroup();
        }
        try {
          commit(group);
        } finally {
          synchronized (this) {
            committing = false;
            notifyAll();
          }
        }
      }
    } finally {
      if (interrupted) {
        Thread.currentThread().interrupt();
      }
    }
  }

  /** Increments waiting for a group (for tests). */
  synchronized int queuedCount() {
    return queued.size();
  }

  /** Up to {@link #MAX_GROUP} queued increments, one per shard (a second waits for the next). */
  private Map<TenantShardId, Ask> takeGroup() {
    Map<TenantShardId, Ask> group = new LinkedHashMap<>();
    for (Iterator<Ask> it = queued.iterator(); it.hasNext() && group.size() < MAX_GROUP; ) {
      Ask ask = it.next();
      if (group.putIfAbsent(ask.shard, ask) == null) {
        it.remove();
      }
    }
    return group;
  }

  private void commit(Map<TenantShardId, Ask> group) {
    Map<TenantShardId, NodeId> toNodes = new LinkedHashMap<>();
    group.forEach((shard, ask) -> toNodes.put(shard, ask.node));
    Map<TenantShardId, Generation> issued = null;
    RuntimeException failure = null;
    try {
      issued =
          transactions.execute(
              "increment_generation", () -> persistence.incrementGenerations(toNodes));
    } catch (RuntimeException e) {
      failure = e;
    } catch (Error e) {
      // Every caller in the group must get an answer, or it would wait for ever.
      failure = new IllegalStateException("generation commit failed: " + e, e);
    }
    synchronized (this) {
      for (Ask ask : group.values()) {
        ask.issued = issued == null ? null : issued.get(ask.shard);
        ask.failure = failure;
        ask.done = true;
      }
    }
  }

  private static Optional<Generation> answer(Ask ask) {
    if (ask.failure != null) {
      throw ask.failure;
    }
    return Optional.ofNullable(ask.issued);
  }
}
