package io.storagecontroller.model;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Locale;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.Example;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;

class TenantShardIdTest {
  private static final String TENANT = "1f359dd625e519a1a4e8d7509690f6fc";

  @Provide
  Arbitrary<TenantShardId> shardIds() {
    Arbitrary<TenantId> tenants =
        Arbitraries.bytes().array(byte[].class).ofSize(16).map(TenantId::fromBytes);
    Arbitrary<ShardCount> counts = Arbitraries.integers().between(0, 255).map(ShardCount::of);
    return Combinators.combine(tenants, counts)
        .flatAs(
            (tenant, count) ->
                Arbitraries.integers()
                    .between(0, count.count() - 1)
                    .map(n -> new TenantShardId(tenant, ShardNumber.of(n), count)));
  }

  @Property
  void formatThenParseIsIdentity(@ForAll("shardIds") TenantShardId id) {
    assertThat(TenantShardId.parse(id.toString())).isEqualTo(id);
    assertThat(TenantShardId.valueOf(id.toString().toUpperCase(Locale.ROOT))).isEqualTo(id);
  }

  @Property
  void textLengthFollowsCountLiteral(@ForAll("shardIds") TenantShardId id) {
    assertThat(id.toString()).hasSize(id.shardCount().isUnsharded() ? 32 : 37);
  }

  @Property
  void orderIsTenantThenNumberThenCount(
      @ForAll("shardIds") TenantShardId a, @ForAll("shardIds") TenantShardId b) {
    int expected = a.tenantId().compareTo(b.tenantId());
    if (expected == 0) {
      expected = Integer.compare(a.shardNumber().value(), b.shardNumber().value());
    }
    if (expected == 0) {
      expected = Integer.compare(a.shardCount().literal(), b.shardCount().literal());
    }
    assertThat(Integer.signum(a.compareTo(b))).isEqualTo(Integer.signum(expected));
  }

  @Property
  void tenantShardsLieBetweenTheTenantBounds(@ForAll("shardIds") TenantShardId id) {
    TenantShardId low = TenantShardId.unsharded(id.tenantId());
    TenantShardId high = new TenantShardId(id.tenantId(), ShardNumber.of(255), ShardCount.of(255));
    assertThat(id).isBetween(low, high);
  }

  @Example
  void countZeroIsTheBareTenantAndCountOneHasASuffix() {
    TenantId tenant = TenantId.parse(TENANT);
    assertThat(TenantShardId.unsharded(tenant)).hasToString(TENANT);
    assertThat(new TenantShardId(tenant, ShardNumber.ZERO, ShardCount.of(1)))
        .hasToString(TENANT + "-0001");
    assertThat(new TenantShardId(tenant, ShardNumber.of(1), ShardCount.of(4)))
        .hasToString(TENANT + "-0104");
    assertThat(new TenantShardId(tenant, ShardNumber.of(7), ShardCount.of(10)))
        .hasToString(TENANT + "-070a");
  }

  @Example
  void parsesBothForms() {
    TenantShardId legacy = TenantShardId.parse(TENANT);
    assertThat(legacy.shardCount().literal()).isZero();
    assertThat(legacy.isUnsharded()).isTrue();
    assertThat(legacy.isShardZero()).isTrue();

    TenantShardId sharded = TenantShardId.parse(TENANT + "-0104");
    assertThat(sharded.tenantId()).isEqualTo(TenantId.parse(TENANT));
    assertThat(sharded.shardIndex()).isEqualTo(ShardIndex.parse("0104"));
    assertThat(sharded.isShardZero()).isFalse();
    assertThat(sharded.isUnsharded()).isFalse();
  }

  @Example
  void separatorIsNotChecked() {
    assertThat(TenantShardId.parse(TENANT + "_0104"))
        .isEqualTo(TenantShardId.parse(TENANT + "-0104"));
  }

  @Example
  void sortsShardsOfATenantTogether() {
    TenantId t1 = TenantId.parse("00000000000000000000000000000001");
    TenantId t2 = TenantId.parse("00000000000000000000000000000002");
    List<TenantShardId> expected =
        List.of(
            TenantShardId.unsharded(t1),
            new TenantShardId(t1, ShardNumber.ZERO, ShardCount.of(4)),
            new TenantShardId(t1, ShardNumber.of(1), ShardCount.of(2)),
            new TenantShardId(t1, ShardNumber.of(1), ShardCount.of(4)),
            new TenantShardId(t1, ShardNumber.of(3), ShardCount.of(4)),
            TenantShardId.unsharded(t2));
    List<TenantShardId> shuffled = new ArrayList<>(expected);
    Collections.reverse(shuffled);
    Collections.sort(shuffled);
    assertThat(shuffled).containsExactlyElementsOf(expected);
  }

  @Example
  void rejectsMalformedText() {
    String[] bad = {
      "",
      TENANT.substring(1),
      TENANT + "-",
      TENANT + "-010",
      TENANT + "-01045",
      TENANT + "-01g4",
      "z" + TENANT.substring(1) + "-0104",
      "z" + TENANT.substring(1)
    };
    for (String text : bad) {
      assertThatIllegalArgumentException()
          .isThrownBy(() -> TenantShardId.parse(text))
          .withMessageStartingWith("invalid tenant shard id '" + text + "'");
    }
    assertThatIllegalArgumentException().isThrownBy(() -> TenantShardId.parse(null));
  }
}
