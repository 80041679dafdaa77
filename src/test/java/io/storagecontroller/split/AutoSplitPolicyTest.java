package io.storagecontroller.split;

import static org.assertj.core.api.Assertions.assertThat;

import io.storagecontroller.pageserver.TopTenantShards.OrderBy;
import java.util.OptionalInt;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** Neon's {@code compute_split_shards} cases, row for row. */
class AutoSplitPolicyTest {
  @ParameterizedTest(name = "{0} shards, size {1}, threshold {2}, max {3}, initial {4}/{5} -> {6}")
  @CsvSource({
    // size-based: 500 over 2 shards, 64 each -> 8
    "2, 500, 64, 16, 0, 0, 8",
    // at or below the threshold: nothing; above: the next power of two
    "2, 127, 64, 16, 0, 0, ",
    "2, 128, 64, 16, 0, 0, ",
    "2, 129, 64, 16, 0, 0, 4",
    // clamped to the maximum; at or past it: nothing
    "2, 10000, 64, 16, 0, 0, 16",
    "16, 10000, 64, 16, 0, 0, ",
    "32, 10000, 64, 16, 0, 0, ",
    // a count that is not a power of two is normalised only when it is over the threshold
    "3, 320, 64, 16, 0, 0, 8",
    "3, 191, 64, 16, 0, 0, ",
    "3, 192, 64, 16, 0, 0, ",
    "3, 193, 64, 16, 0, 0, 4",
    // initial splits; 0 shards count as 1
    "1, 10, 0, 16, 8, 4, 4",
    "0, 10, 0, 16, 8, 4, 4",
    "1, 7, 0, 16, 8, 4, ",
    "1, 8, 0, 16, 8, 4, ",
    "1, 9, 0, 16, 8, 4, 4",
    // a sharded tenant is not split by the initial rule
    "2, 20, 0, 16, 8, 4, ",
    // the initial split is clamped too
    "1, 10, 0, 3, 8, 4, 3",
    // both rules: the larger count
    "1, 10, 64, 16, 8, 4, 4",
    "1, 500, 64, 16, 8, 4, 8",
    "2, 200, 64, 16, 8, 8, 4",
    "1, 10, 4, 16, 8, 8, 8",
    // Neon's production settings when both rules were rolled out
    "1, 65, 64, 8, 64, 8, 8",
    "1, 64, 64, 8, 64, 8, ",
    "2, 129, 64, 8, 64, 8, 4",
  })
  void newShardCountIsNeons(
      int shards,
      long size,
      long threshold,
      int max,
      long initialThreshold,
      int initialShards,
      Integer expected) {
    AutoSplitPolicy policy = new AutoSplitPolicy(threshold, max, initialThreshold, initialShards);
    OptionalInt count = policy.newShardCount(shards, size);
    if (expected == null) {
      assertThat(count).isEmpty();
    } else {
      assertThat(count).hasValue(expected);
    }
  }

  @Test
  void itIsOffUnlessAThresholdAndARoomyMaximumAreSet() {
    assertThat(AutoSplitPolicy.of(null, 16, null, 2).enabled()).isFalse();
    assertThat(AutoSplitPolicy.of(100L, 1, null, 2).enabled()).isFalse();
    assertThat(AutoSplitPolicy.of(null, 16, 100L, 1).enabled()).isFalse();
    assertThat(AutoSplitPolicy.of(null, 16, 100L, 1).candidateQueries()).isEmpty();
    assertThat(AutoSplitPolicy.of(100L, 16, null, 2).enabled()).isTrue();
  }

  @Test
  void initialCandidatesAreAskedForFirst() {
    var queries = AutoSplitPolicy.of(192L, 16, 64L, 4).candidateQueries();
    assertThat(queries).hasSize(2);
    assertThat(queries.get(0).orderBy()).isEqualTo(OrderBy.MAX_LOGICAL_SIZE);
    assertThat(queries.get(0).whereShardsLt()).isEqualTo(2);
    assertThat(queries.get(0).whereGt()).isEqualTo(64L);
    assertThat(queries.get(1).orderBy()).isEqualTo(OrderBy.MAX_LOGICAL_SIZE_PER_SHARD);
    assertThat(queries.get(1).whereShardsLt()).isEqualTo(16);
    assertThat(queries.get(1).whereGt()).isEqualTo(192L);
  }

  @Test
  void anUnshardedTenantTakesTheDefaultStripeAndASharedOneKeepsItsOwn() {
    assertThat(AutoSplitPolicy.newStripeSize(1)).isEqualTo(2048L);
    assertThat(AutoSplitPolicy.newStripeSize(4)).isNull();
  }
}
