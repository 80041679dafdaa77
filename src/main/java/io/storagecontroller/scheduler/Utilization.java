package io.storagecontroller.scheduler;

import java.math.BigInteger;

/**
 * A pageserver's load as Neon scores it: the larger of wanted disk over usable disk and shard count
 * over the shard limit, scaled so that {@link #FULL} means full.
 *
 * <p>Kept with its components rather than as a bare score because the scheduler raises the shard
 * count as it places shards, so the next decision sees the new load before the next heartbeat does.
 */
public final class Utilization {
  public static final long FULL = 1_000_000L;
  public static final long OVERLOADED = 2 * FULL;

  private final long diskWantedBytes;
  private final long diskUsableBytes;
  private final long shardCount;
  private final long maxShardCount;
  private final long score;

  private Utilization(
      long diskWantedBytes, long diskUsableBytes, long shardCount, long maxShardCount, long score) {
    this.diskWantedBytes = diskWantedBytes;
    this.diskUsableBytes = diskUsableBytes;
    this.shardCount = shardCount;
    this.maxShardCount = maxShardCount;
    this.score = score;
  }

  public static Utilization of(
      long diskWantedBytes, long diskUsableBytes, long shardCount, long maxShardCount) {
    if (diskWantedBytes < 0 || diskUsableBytes < 0 || shardCount < 0 || maxShardCount < 0) {
      throw new IllegalArgumentException(
          "invalid utilization: byte and shard counts must not be negative");
    }
    return new Utilization(
        diskWantedBytes,
        diskUsableBytes,
        shardCount,
        maxShardCount,
        score(diskWantedBytes, diskUsableBytes, shardCount, maxShardCount));
  }

  /**
   * A heartbeat's figures: the disk the pageserver may use is its usable share of used plus free
   * space. The pageserver's own score, when it sends one, is trusted as long as the shard count is
   * not raised locally, as Neon caches it.
   */
  public static Utilization reported(
      long diskUsageBytes,
      long freeSpaceBytes,
      int diskUsablePct,
      long diskWantedBytes,
      long shardCount,
      long maxShardCount,
      Long claimedScore) {
    long usable =
        BigInteger.valueOf(diskUsageBytes)
            .add(BigInteger.valueOf(freeSpaceBytes))
            .multiply(BigInteger.valueOf(diskUsablePct))
            .divide(BigInteger.valueOf(100))
            .min(BigInteger.valueOf(Long.MAX_VALUE))
            .longValue();
    Utilization computed = of(diskWantedBytes, usable, shardCount, maxShardCount);
    return claimedScore == null
        ? computed
        : new Utilization(
            computed.diskWantedBytes,
            computed.diskUsableBytes,
            computed.shardCount,
            computed.maxShardCount,
            claimedScore);
  }

  /**
   * Neon's placeholder for a node that has just become active and not yet sent a heartbeat: full,
   * and over the limit as soon as a second shard lands on it.
   */
  public static Utilization full() {
    return of(10, 10, 1, 1);
  }

  public long score() {
    return score;
  }

  public boolean isOverloaded() {
    return score >= OVERLOADED;
  }

  public long shardCount() {
    return shardCount;
  }

  /** Lowering is never done here: a shard leaves a pageserver only after its detach completes. */
  Utilization withShardCountAtLeast(long count) {
    return count <= shardCount ? this : of(diskWantedBytes, diskUsableBytes, count, maxShardCount);
  }

  private static long score(long diskWanted, long diskUsable, long shards, long maxShards) {
    // No usable disk at all cannot take anything that wants disk.
    long disk =
        diskUsable == 0 ? (diskWanted > 0 ? OVERLOADED : 0) : scaled(diskWanted, diskUsable);
    long count = maxShards == 0 ? 0 : scaled(shards, maxShards);
    return Math.max(disk, count);
  }

  // Multi-terabyte byte counts times FULL overflow a long.
  private static long scaled(long part, long whole) {
    return BigInteger.valueOf(part)
        .multiply(BigInteger.valueOf(FULL))
        .divide(BigInteger.valueOf(whole))
        .min(BigInteger.valueOf(Long.MAX_VALUE))
        .longValue();
  }

  @Override
  public String toString() {
    return "Utilization[score="
        + score
        + ", shards="
        + shardCount
        + "/"
        + maxShardCount
        + ", disk wanted="
        + diskWantedBytes
        + "/"
        + diskUsableBytes
        + "]";
  }
}
