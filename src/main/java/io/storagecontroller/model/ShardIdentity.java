package io.storagecontroller.model;

import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.annotation.JsonProperty;
import java.util.Objects;

/**
 * Everything needed to map a {@link Key} to its shard. The mapping must agree bit for bit with the
 * compute's C code (Postgres {@code hashfn.h}), so the hashing is u32 arithmetic done on Java ints:
 * multiplication and addition wrap the same way, {@code >>>} is the unsigned shift, and the final
 * remainder is unsigned.
 */
public record ShardIdentity(
    @JsonProperty("number") ShardNumber number,
    @JsonProperty("count") ShardCount count,
    @JsonProperty("stripe_size") ShardStripeSize stripeSize) {
  /** Neon's only key layout; 255 ("broken") is never persisted or sent. */
  static final int LAYOUT_V1 = 1;

  public ShardIdentity {
    Objects.requireNonNull(number, "number");
    Objects.requireNonNull(count, "count");
    Objects.requireNonNull(stripeSize, "stripeSize");
    if (number.value() >= count.count()) {
      throw new IllegalArgumentException(
          "invalid shard identity: shard number " + number + " is not below count " + count);
    }
    // Unsharded tenants keep whatever stripe size was stored; sharded ones divide by it.
    if (count.isSharded() && stripeSize.value() == 0) {
      throw new IllegalArgumentException(
          "invalid shard identity: stripe size 0 with " + count + " shards");
    }
  }

  public static ShardIdentity unsharded(ShardStripeSize stripeSize) {
    return new ShardIdentity(ShardNumber.ZERO, ShardCount.UNSHARDED, stripeSize);
  }

  /** Accepts Neon's JSON, which also carries the layout version. */
  @JsonCreator
  public static ShardIdentity fromJson(
      @JsonProperty("number") ShardNumber number,
      @JsonProperty("count") ShardCount count,
      @JsonProperty("stripe_size") ShardStripeSize stripeSize,
      @JsonProperty("layout") Integer layout) {
    if (layout != null && layout != LAYOUT_V1) {
      throw new IllegalArgumentException(
          "unsupported shard layout " + layout + ": only " + LAYOUT_V1 + " is known");
    }
    return new ShardIdentity(number, count, stripeSize);
  }

  @JsonProperty("layout")
  public int layout() {
    return LAYOUT_V1;
  }

  public ShardIndex shardIndex() {
    return new ShardIndex(number, count);
  }

  /** The shard a key belongs to; keys that are not distributed belong to shard 0. */
  public int shardFor(Key key) {
    if (count.count() < 2 || isShardZeroKey(key)) {
      return 0;
    }
    int hash = murmurhash32((int) key.field4());
    hash = hashCombine(hash, murmurhash32((int) (key.field6() / stripeSize.value())));
    return Integer.remainderUnsigned(hash, count.count());
  }

  /**
   * Whether this shard must store the key. Keys stored on every shard (such as relation sizes) are
   * not "local" in this sense.
   */
  public boolean isKeyLocal(Key key) {
    if (count.count() < 2 || (isShardZeroKey(key) && number.value() == 0)) {
      return true;
    }
    return shardFor(key) == number.value();
  }

  /**
   * Only relation blocks are spread out. INIT forks of unlogged tables are relation blocks too, but
   * stay on shard 0 because basebackups must include them.
   */
  private static boolean isShardZeroKey(Key key) {
    return !key.isRelBlockKey() || key.field5() == Key.INIT_FORKNUM;
  }

  static int murmurhash32(int h) {
    h ^= h >>> 16;
    h *= 0x85ebca6b;
    h ^= h >>> 13;
    h *= 0xc2b2ae35;
    h ^= h >>> 16;
    return h;
  }

  static int hashCombine(int a, int b) {
    b += 0x9e3779b9;
    b += a << 6;
    b += a >>> 2;
    return a ^ b;
  }
}
