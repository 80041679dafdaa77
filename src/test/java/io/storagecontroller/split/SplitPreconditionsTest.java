package io.storagecontroller.split;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.storagecontroller.model.Generation;
import io.storagecontroller.model.LocationConfigMode;
import io.storagecontroller.model.NodeId;
import io.storagecontroller.model.PlacementPolicy;
import io.storagecontroller.model.Refusal;
import io.storagecontroller.model.ShardCount;
import io.storagecontroller.model.ShardNumber;
import io.storagecontroller.model.ShardSchedulingPolicy;
import io.storagecontroller.model.ShardStripeSize;
import io.storagecontroller.model.TenantId;
import io.storagecontroller.model.TenantShardId;
import io.storagecontroller.pageserver.LocationConfig;
import io.storagecontroller.pageserver.PageserverJson;
import io.storagecontroller.shard.ShardView;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** Neon's split validation (neon-behaviour §5.2) and its child numbering, without I/O. */
class SplitPreconditionsTest {
  static final TenantId TENANT = TenantId.generate();
  static final NodeId A = new NodeId(1);
  static final Set<NodeId> AVAILABLE = Set.of(A);

  /** A tenant of {@code count} shards attached on A and confirmed there. */
  List<ShardView> tenant(int count, PlacementPolicy policy) {
    List<ShardView> shards = new ArrayList<>();
    for (int n = 0; n < Math.max(count, 1); n++) {
      TenantShardId id = new TenantShardId(TENANT, ShardNumber.of(n), ShardCount.of(count));
      boolean attached = policy instanceof PlacementPolicy.Attached;
      Map<NodeId, Optional<LocationConfig>> observed =
          attached
              ? Map.of(
                  A,
                  Optional.of(
                      new LocationConfig(
                          LocationConfigMode.ATTACHED_SINGLE,
                          3L,
                          null,
                          n,
                          count,
                          2048,
                          PageserverJson.mapper().createObjectNode())))
              : Map.of();
      shards.add(shard(id, policy, attached ? A : null, false, observed));
    }
    return shards;
  }

  static ShardView shard(
      TenantShardId id,
      PlacementPolicy policy,
      NodeId attached,
      boolean splitting,
      Map<NodeId, Optional<LocationConfig>> observed) {
    return new ShardView(
        id,
        ShardStripeSize.DEFAULT,
        Generation.of(3),
        A,
        policy,
        ShardSchedulingPolicy.ACTIVE,
        PageserverJson.mapper().createObjectNode(),
        splitting,
        null,
        attached,
        List.of(),
        null,
        observed,
        "",
        0);
  }

  /** The same shard, changed. */
  static ShardView with(ShardView s, boolean splitting, Map<NodeId, Optional<LocationConfig>> obs) {
    return shard(s.id(), s.policy(), s.attached(), splitting, obs);
  }

  SplitCheck check(List<ShardView> shards, int count, Long stripe) {
    return SplitPreconditions.check(
        TENANT,
        shards,
        ShardCount.of(count),
        stripe == null ? null : ShardStripeSize.of(stripe),
        AVAILABLE);
  }

  static Refusal.Kind statusOf(Runnable call) {
    try {
      call.run();
    } catch (Refusal e) {
      return e.kind();
    }
    throw new AssertionError("expected a refusal");
  }

  @Test
  void anUnshardedTenantSplitsAndMayChooseItsStripe() {
    SplitCheck check = check(tenant(0, new PlacementPolicy.Attached(0)), 4, 32768L);
    assertThat(check.isAlreadySplit()).isFalse();
    assertThat(check.oldCount()).isEqualTo(ShardCount.UNSHARDED);
    assertThat(check.childStripe()).isEqualTo(ShardStripeSize.of(32768));
  }

  @Test
  void theRequestedCountAgainAnswersTheExistingShards() {
    List<ShardView> shards = tenant(4, new PlacementPolicy.Attached(0));
    SplitCheck check = check(shards, 4, null);
    assertThat(check.isAlreadySplit()).isTrue();
    assertThat(check.alreadySplit())
        .containsExactlyElementsOf(shards.stream().map(ShardView::id).toList());
  }

  @Test
  void refusalsCarryNeonsStatuses() {
    List<ShardView> four = new ArrayList<>(tenant(4, new PlacementPolicy.Attached(0)));
    assertThat(statusOf(() -> check(List.of(), 2, null))).isEqualTo(Refusal.Kind.NOT_FOUND);
    assertThat(statusOf(() -> check(four, 2, null))).isEqualTo(Refusal.Kind.BAD_REQUEST);
    assertThat(statusOf(() -> check(four, 6, null))).isEqualTo(Refusal.Kind.BAD_REQUEST);
    assertThat(statusOf(() -> check(four, 8, 4096L))).isEqualTo(Refusal.Kind.BAD_REQUEST);
    assertThat(check(four, 8, 2048L).childStripe()).isEqualTo(ShardStripeSize.DEFAULT);
    assertThat(statusOf(() -> check(tenant(1, PlacementPolicy.SECONDARY), 2, null)))
        .isEqualTo(Refusal.Kind.BAD_REQUEST);
    four.set(1, with(four.get(1), true, four.get(1).observed()));
    assertThatThrownBy(() -> check(four, 8, null))
        .isInstanceOf(Refusal.class)
        .hasMessageContaining("mid-split");
  }

  @Test
  void aParentNotConfirmedOnAnAvailableNodeIsRetryLater() {
    List<ShardView> shards = new ArrayList<>(tenant(2, new PlacementPolicy.Attached(0)));
    assertThat(
            statusOf(
                () -> SplitPreconditions.check(TENANT, shards, ShardCount.of(4), null, Set.of())))
        .isEqualTo(Refusal.Kind.UNAVAILABLE);
    shards.set(0, with(shards.get(0), false, Map.of(A, Optional.empty())));
    assertThat(statusOf(() -> check(shards, 4, null))).isEqualTo(Refusal.Kind.UNAVAILABLE);
  }

  @Test
  void childrenOfAParentAreTheNumbersCongruentToIt() {
    TenantShardId parent = new TenantShardId(TENANT, ShardNumber.of(1), ShardCount.of(4));
    assertThat(SplitChildren.of(parent, ShardCount.of(16)))
        .extracting(c -> c.shardNumber().value())
        .containsExactly(1, 5, 9, 13);
    assertThat(SplitChildren.of(TenantShardId.unsharded(TENANT), ShardCount.of(4)))
        .hasSize(4)
        .allMatch(c -> c.shardCount().equals(ShardCount.of(4)));
  }
}
