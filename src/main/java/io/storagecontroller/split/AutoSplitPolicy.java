package io.storagecontroller.split;

import io.storagecontroller.model.ShardStripeSize;
import io.storagecontroller.pageserver.TopTenantShards;
import io.storagecontroller.pageserver.TopTenantShards.OrderBy;
import java.util.ArrayList;
import java.util.List;
import java.util.OptionalInt;

/**
 * When a tenant has outgrown its shards, and into how many it splits: Neon's {@code
 * autosplit_tenants} and {@code compute_split_shards}, without I/O.
 *
 * @param splitThreshold bytes of the largest timeline per shard above which a tenant splits (0:
 *     size-based splits off)
 * @param maxSplitShards no auto-split goes past this count (0 or 1: auto-split off)
 * @param initialSplitThreshold an unsharded tenant larger than this splits at once into at least
 *     {@code initialSplitShards} (0: off)
 * @param initialSplitShards the initial split's count (0 or 1: initial splits off)
 */
public record AutoSplitPolicy(
    long splitThreshold, int maxSplitShards, long initialSplitThreshold, int initialSplitShards) {

  /** Neon asks each pageserver for this many candidates per kind. */
  static final int CANDIDATES_PER_NODE = 10;

  /** From the flags, where an unset threshold is off. */
  public static AutoSplitPolicy of(
      Long splitThreshold, int maxSplitShards, Long initialSplitThreshold, int initialSplitShards) {
    return new AutoSplitPolicy(
        splitThreshold == null ? 0 : splitThreshold,
        maxSplitShards,
        initialSplitThreshold == null ? 0 : initialSplitThreshold,
        initialSplitShards);
  }

  private long initialThreshold() {
    return initialSplitShards <= 1 ? 0 : initialSplitThreshold;
  }

  /** Whether any split can happen at all. */
  public boolean enabled() {
    return maxSplitShards > 1 && (splitThreshold > 0 || initialThreshold() > 0);
  }

  /**
   * What to ask each pageserver for, most urgent first: unsharded tenants over the initial
   * threshold (often in their initial ingest, which splitting speeds up), then tenants whose size
   * per shard is over the threshold.
   */
  public List<TopTenantShards.Request> candidateQueries() {
    List<TopTenantShards.Request> queries = new ArrayList<>();
    if (!enabled()) {
      return queries;
    }
    if (initialThreshold() > 0) {
      queries.add(
          new TopTenantShards.Request(
              OrderBy.MAX_LOGICAL_SIZE, CANDIDATES_PER_NODE, 2, initialThreshold()));
    }
    if (splitThreshold > 0) {
      // Ordered and filtered per shard, so only tenants that really qualify come back; the count
      // is then computed from the whole size.
      queries.add(
          new TopTenantShards.Request(
              OrderBy.MAX_LOGICAL_SIZE_PER_SHARD,
              CANDIDATES_PER_NODE,
              maxSplitShards,
              splitThreshold));
    }
    return queries;
  }

  /**
   * The count to split into, or empty when the tenant stays as it is: a power of two that brings
   * each shard's share of the largest timeline to at most the threshold (a count that is not a
   * power of two and is not over the threshold is left alone); for an unsharded tenant over the
   * initial threshold at least the initial count; never more than {@code maxSplitShards}; always
   * more than now.
   */
  public OptionalInt newShardCount(int currentCount, long maxLogicalSize) {
    int current = Math.max(1, currentCount);
    long wanted = current;
    if (splitThreshold > 0) {
      long needed = ceilDiv(maxLogicalSize, splitThreshold);
      if (needed > current) {
        wanted = Math.min(255, nextPowerOfTwo(needed));
      }
    }
    if (initialSplit(current, maxLogicalSize)) {
      wanted = Math.max(wanted, initialSplitShards);
    }
    wanted = Math.min(wanted, maxSplitShards);
    return wanted > current ? OptionalInt.of((int) wanted) : OptionalInt.empty();
  }

  /** Whether splitting this tenant is an initial split (rather than a size-based one). */
  public boolean initialSplit(int currentCount, long maxLogicalSize) {
    return initialThreshold() > 0 && currentCount <= 1 && maxLogicalSize > initialThreshold();
  }

  /**
   * The stripe size of the split: the default for an unsharded tenant (its stripe size has not
   * mattered so far, and the current default is better than an old one); a sharded tenant keeps its
   * own, as splits cannot change it.
   */
  public static Long newStripeSize(int currentCount) {
    return currentCount <= 1 ? ShardStripeSize.DEFAULT.value() : null;
  }

  private static long ceilDiv(long a, long b) {
    return a <= 0 ? 0 : (a - 1) / b + 1;
  }

  private static long nextPowerOfTwo(long n) {
    return n <= 1 ? 1 : Long.highestOneBit(n - 1) << 1;
  }
}
