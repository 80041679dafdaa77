package io.storagecontroller.model;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;

import java.util.List;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.Example;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.Tuple;
import net.jqwik.api.constraints.IntRange;
import net.jqwik.api.constraints.LongRange;

class ShardIdentityTest {
  private static ShardIdentity shard(int number, int count, long stripe) {
    return new ShardIdentity(
        ShardNumber.of(number), ShardCount.of(count), ShardStripeSize.of(stripe));
  }

  private static Key relBlock(long relNode, long block) {
    return new Key(0, 0x67f, 0x5, relNode, 0, block);
  }

  // Neon's own smoke values (shard.rs tests).
  @Example
  void neonHashVectors() {
    assertThat(ShardIdentity.murmurhash32(0)).isZero();
    assertThat(ShardIdentity.hashCombine(0xb1ff3b40, 0)).isEqualTo(0xfb7923c9);
    // Neon's shard_mapping test, written when the default stripe was 32768 pages.
    assertThat(shard(0, 10, 32768).shardFor(relBlock(0x400c, 0x7d06))).isEqualTo(8);
  }

  /*
   * relNode 1, block 0, stripe 2048, worked through by hand (all values u32):
   *   murmur(1):  h = 1; h ^= h>>>16 -> 0x00000001; h *= 0x85ebca6b -> 0x85ebca6b;
   *               h ^= h>>>13 (0x00042f5e) -> 0x85efe535; h *= 0xc2b2ae35 -> 0x514e79f9;
   *               h ^= h>>>16 (0x0000514e) -> 0x514e28b7
   *   murmur(0 / 2048 = 0) = 0 (every step keeps 0)
   *   combine(a = 0x514e28b7, b = 0): b += 0x9e3779b9 -> 0x9e3779b9;
   *               b += a<<6 (0x538a2dc0) -> 0xf1c1a779; b += a>>>2 (0x14538a2d) -> 0x061531a6
   *               (the carry out of bit 31 is dropped); a ^ b = 0x575b1911 = 1465587985
   *   1465587985 % 2 = 1, % 4 = 1, % 10 = 5
   */
  @Example
  void relNodeOneBlockZero() {
    assertThat(ShardIdentity.murmurhash32(1)).isEqualTo(0x514e28b7);
    assertThat(ShardIdentity.hashCombine(0x514e28b7, 0)).isEqualTo(0x575b1911);
    assertThat(shard(0, 2, 2048).shardFor(relBlock(1, 0))).isEqualTo(1);
    assertThat(shard(0, 4, 2048).shardFor(relBlock(1, 0))).isEqualTo(1);
    assertThat(shard(0, 10, 2048).shardFor(relBlock(1, 0))).isEqualTo(5);
    // Every block of the same stripe goes to the same shard.
    assertThat(shard(0, 10, 2048).shardFor(relBlock(1, 2047))).isEqualTo(5);
  }

  /*
   * relNode 1, block 2048, stripe 2048: stripe index 1, so both hashes are murmur(1) = 0x514e28b7.
   *   combine(a = 0x514e28b7, b = 0x514e28b7): b += 0x9e3779b9 -> 0xef85a270;
   *               b += a<<6 (0x538a2dc0) -> 0x430fd030 (wrapped); b += a>>>2 -> 0x57635a5d;
   *               a ^ b = 0x062d72ea = 103641834
   *   103641834 % 2 = 0, % 4 = 2, % 10 = 4
   */
  @Example
  void relNodeOneSecondStripe() {
    assertThat(ShardIdentity.hashCombine(0x514e28b7, 0x514e28b7)).isEqualTo(0x062d72ea);
    assertThat(shard(0, 2, 2048).shardFor(relBlock(1, 2048))).isEqualTo(0);
    assertThat(shard(0, 4, 2048).shardFor(relBlock(1, 2048))).isEqualTo(2);
    assertThat(shard(0, 10, 2048).shardFor(relBlock(1, 2048))).isEqualTo(4);
  }

  /*
   * relNode 0x400c, block 0x7d06 (32006), stripe 2048: stripe index 15.
   *   murmur(0x400c) = 0xcb776f3e; murmur(15) = 0xcc1ad845
   *   combine: b = 0xcc1ad845 + 0x9e3779b9 -> 0x6a5251fe; + (a<<6 = 0xdddbcf80) -> 0x482e217e;
   *            + (a>>>2 = 0x32dddbcf) -> 0x7b0bfd4d; a ^ b = 0xb07c9273 = 2960953971
   *   2960953971 % 10 = 1. As a signed int the hash is -1334013325, and Java's % would give -5:
   *   this is the case that needs Integer.remainderUnsigned.
   */
  @Example
  void highBitHashNeedsUnsignedRemainder() {
    assertThat(ShardIdentity.murmurhash32(0x400c)).isEqualTo(0xcb776f3e);
    assertThat(ShardIdentity.murmurhash32(15)).isEqualTo(0xcc1ad845);
    assertThat(shard(3, 10, 2048).shardFor(relBlock(0x400c, 0x7d06))).isEqualTo(1);
  }

  @Example
  void shardZeroRules() {
    ShardIdentity four = shard(0, 4, 2048);
    // relNode 1 block 0 maps to shard 1 of 4 (see above); each rule below overrides that.
    assertThat(four.shardFor(relBlock(1, 0))).isEqualTo(1);
    assertThat(four.shardFor(new Key(0, 0x67f, 0x5, 1, Key.INIT_FORKNUM, 0))).isZero();
    assertThat(four.shardFor(new Key(1, 0x67f, 0x5, 1, 0, 0))).isZero();
    assertThat(four.shardFor(relBlock(0, 0))).isZero();
    assertThat(four.shardFor(relBlock(1, 0xFFFF_FFFFL))).isZero();
    assertThat(shard(0, 1, 2048).shardFor(relBlock(1, 0))).isZero();
    assertThat(ShardIdentity.unsharded(ShardStripeSize.DEFAULT).shardFor(relBlock(1, 0))).isZero();
  }

  @Example
  void keyLocality() {
    Key key = relBlock(1, 0); // shard 1 of 4
    assertThat(shard(1, 4, 2048).isKeyLocal(key)).isTrue();
    assertThat(shard(0, 4, 2048).isKeyLocal(key)).isFalse();
    Key metadata = new Key(1, 0, 0, 0, 0, 0);
    assertThat(shard(0, 4, 2048).isKeyLocal(metadata)).isTrue();
    assertThat(shard(2, 4, 2048).isKeyLocal(metadata)).isFalse();
    assertThat(shard(0, 1, 2048).isKeyLocal(key)).isTrue();
  }

  @Property
  void shardIsAlwaysInRange(
      @ForAll("keys") Key key,
      @ForAll @IntRange(min = 0, max = 255) int count,
      @ForAll @LongRange(min = 1, max = 0xFFFF_FFFFL) long stripe) {
    int shard = shard(0, count, stripe).shardFor(key);
    assertThat(shard).isBetween(0, Math.max(count, 1) - 1);
  }

  @Property
  void fewerThanTwoShardsMapToZero(
      @ForAll("keys") Key key, @ForAll @IntRange(min = 0, max = 1) int count) {
    assertThat(shard(0, count, 2048).shardFor(key)).isZero();
  }

  @Property
  void nonRelBlockKeysMapToZero(
      @ForAll("keys") Key key, @ForAll @IntRange(min = 2, max = 255) int count) {
    if (!key.isRelBlockKey()) {
      assertThat(shard(0, count, 2048).shardFor(key)).isZero();
    }
  }

  @Property
  void initForkMapsToZero(
      @ForAll("relBlockKeys") Key key, @ForAll @IntRange(min = 2, max = 255) int count) {
    Key init = new Key(key.field1(), key.field2(), key.field3(), key.field4(), 3, key.field6());
    assertThat(shard(0, count, 2048).shardFor(init)).isZero();
  }

  @Property
  void exactlyOneShardHoldsEachKey(
      @ForAll("keys") Key key, @ForAll @IntRange(min = 1, max = 16) int count) {
    int holders = 0;
    for (int n = 0; n < count; n++) {
      if (shard(n, count, 8).isKeyLocal(key)) {
        holders++;
      }
    }
    assertThat(holders).isEqualTo(1);
  }

  @Property
  void onlyRelNodeAndStripeMatter(
      @ForAll("relBlockKeys") Key key,
      @ForAll @LongRange(min = 0, max = 0xFFFF_FFFFL) long otherSpc,
      @ForAll @IntRange(min = 2, max = 255) int count) {
    Key moved = new Key(0, otherSpc, key.field3(), key.field4(), key.field5(), key.field6());
    assertThat(shard(0, count, 2048).shardFor(moved))
        .isEqualTo(shard(0, count, 2048).shardFor(key));
  }

  @Provide
  Arbitrary<Key> relBlockKeys() {
    return Combinators.combine(
            Arbitraries.longs().between(0, 0xFFFF_FFFFL),
            Arbitraries.longs().between(0, 0xFFFF_FFFFL),
            Arbitraries.longs().between(1, 0xFFFF_FFFFL),
            Arbitraries.integers().between(0, 2),
            Arbitraries.longs().between(0, 0xFFFF_FFFEL))
        .as((spc, db, rel, fork, block) -> new Key(0, spc, db, rel, fork, block));
  }

  @Provide
  Arbitrary<Key> keys() {
    Arbitrary<Key> any =
        Combinators.combine(
                Arbitraries.integers().between(0, 255),
                Arbitraries.longs().between(0, 0xFFFF_FFFFL),
                Arbitraries.longs().between(0, 0xFFFF_FFFFL),
                Arbitraries.longs().between(0, 0xFFFF_FFFFL),
                Arbitraries.integers().between(0, 255),
                Arbitraries.longs().between(0, 0xFFFF_FFFFL))
            .as(Key::new);
    // Mostly relation blocks, the only keys that are spread out.
    return Arbitraries.frequencyOf(List.of(Tuple.of(3, relBlockKeys()), Tuple.of(1, any)));
  }

  @Example
  void rejectsInvalidIdentities() {
    assertThatIllegalArgumentException()
        .isThrownBy(() -> shard(4, 4, 2048))
        .withMessageContaining("not below count");
    assertThatIllegalArgumentException().isThrownBy(() -> shard(1, 0, 2048));
    assertThatIllegalArgumentException()
        .isThrownBy(() -> shard(0, 2, 0))
        .withMessageContaining("stripe size 0");
    assertThat(shard(0, 1, 0).stripeSize().value()).isZero();
    assertThatIllegalArgumentException().isThrownBy(() -> new Key(256, 0, 0, 0, 0, 0));
    assertThatIllegalArgumentException().isThrownBy(() -> new Key(0, -1, 0, 0, 0, 0));
    assertThatIllegalArgumentException().isThrownBy(() -> new Key(0, 0, 0, 0x1_0000_0000L, 0, 0));
  }
}
