package io.storagecontroller.shard;

/** What the sweep's pass ({@link ShardStore#sweepPass}) tells of each shard. */
@FunctionalInterface
public interface SweepVisit {
  /**
   * One shard: its view, whether it needs a reconcile, and (when it does) how many reconciles in a
   * row it has had without settling (Neon's {@code consecutive_reconciles_count}).
   */
  void shard(ShardView view, boolean dirty, int consecutiveReconciles);
}
