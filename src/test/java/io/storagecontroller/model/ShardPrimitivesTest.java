package io.storagecontroller.model;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;

import net.jqwik.api.Example;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.IntRange;
import net.jqwik.api.constraints.LongRange;

class ShardPrimitivesTest {
  @Property
  void shardNumberRoundTrips(@ForAll @IntRange(min = 0, max = 255) int n) {
    ShardNumber number = ShardNumber.of(n);
    assertThat(ShardNumber.valueOf(number.toString())).isEqualTo(number);
    assertThat(number.value()).isEqualTo(n);
  }

  @Property
  void shardCountRoundTrips(@ForAll @IntRange(min = 0, max = 255) int n) {
    ShardCount count = ShardCount.of(n);
    assertThat(ShardCount.valueOf(count.toString())).isEqualTo(count);
    assertThat(count.literal()).isEqualTo(n);
    assertThat(count.count()).isEqualTo(Math.max(n, 1));
  }

  @Property
  void stripeSizeRoundTrips(@ForAll @LongRange(min = 0, max = 0xFFFF_FFFFL) long n) {
    ShardStripeSize size = ShardStripeSize.of(n);
    assertThat(ShardStripeSize.valueOf(size.toString())).isEqualTo(size);
  }

  @Property
  void shardIndexRoundTrips(
      @ForAll @IntRange(min = 0, max = 255) int number,
      @ForAll @IntRange(min = 0, max = 255) int count) {
    ShardIndex index = new ShardIndex(ShardNumber.of(number), ShardCount.of(count));
    assertThat(index.toString()).matches("[0-9a-f]{4}");
    if (number < Math.max(count, 1)) {
      assertThat(ShardIndex.parse(index.toString())).isEqualTo(index);
      assertThat(ShardIndex.valueOf(index.toString().toUpperCase())).isEqualTo(index);
    } else {
      // No tenant has that shard: the text is refused, naming why.
      assertThatIllegalArgumentException()
          .isThrownBy(() -> ShardIndex.parse(index.toString()))
          .withMessageContaining("shard number " + number);
    }
  }

  @Example
  void legacyUnshardedAndModernSingleShardDiffer() {
    assertThat(ShardCount.of(0).isUnsharded()).isTrue();
    assertThat(ShardCount.of(0).count()).isEqualTo(1);
    assertThat(ShardCount.of(0).isSharded()).isFalse();
    assertThat(ShardCount.of(1).isUnsharded()).isFalse();
    assertThat(ShardCount.of(1).count()).isEqualTo(1);
    assertThat(ShardCount.of(1).isSharded()).isFalse();
    assertThat(ShardCount.of(2).isSharded()).isTrue();
  }

  @Example
  void shardIndexText() {
    assertThat(new ShardIndex(ShardNumber.of(13), ShardCount.of(17))).hasToString("0d11");
    assertThat(ShardIndex.parse("0104"))
        .isEqualTo(new ShardIndex(ShardNumber.of(1), ShardCount.of(4)));
    assertThat(ShardIndex.UNSHARDED).hasToString("0000");
  }

  @Example
  void stripeSizeDefaults() {
    assertThat(ShardStripeSize.DEFAULT.value()).isEqualTo(2048);
    assertThat(ShardStripeSize.LEGACY_DEFAULT.value()).isEqualTo(32768);
  }

  @Example
  void rejectsOutOfRangeNumbers() {
    assertThatIllegalArgumentException()
        .isThrownBy(() -> ShardNumber.of(256))
        .withMessageContaining("256");
    assertThatIllegalArgumentException().isThrownBy(() -> ShardNumber.of(-1));
    assertThatIllegalArgumentException().isThrownBy(() -> ShardCount.of(256));
    assertThatIllegalArgumentException().isThrownBy(() -> ShardCount.of(-1));
    assertThatIllegalArgumentException().isThrownBy(() -> ShardStripeSize.of(-1));
    assertThatIllegalArgumentException().isThrownBy(() -> ShardStripeSize.of(0x1_0000_0000L));
  }

  @Example
  void rejectsMalformedText() {
    assertThatIllegalArgumentException()
        .isThrownBy(() -> ShardNumber.valueOf("x"))
        .withMessageContaining("'x'");
    assertThatIllegalArgumentException().isThrownBy(() -> ShardNumber.valueOf(""));
    assertThatIllegalArgumentException().isThrownBy(() -> ShardNumber.valueOf(null));
    assertThatIllegalArgumentException().isThrownBy(() -> ShardCount.valueOf("300"));
    assertThatIllegalArgumentException().isThrownBy(() -> ShardStripeSize.valueOf("-5"));
    for (String bad : new String[] {"", "010", "01045", "0x04", "01g4", " 104"}) {
      assertThatIllegalArgumentException()
          .isThrownBy(() -> ShardIndex.parse(bad))
          .withMessageContaining("invalid shard index '" + bad + "'");
    }
    assertThatIllegalArgumentException().isThrownBy(() -> ShardIndex.parse(null));
  }
}
