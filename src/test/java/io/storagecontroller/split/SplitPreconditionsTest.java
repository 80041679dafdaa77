package io.storagecontroller.split;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.storagecontroller.http.ApiError;
import io.storagecontroller.model.Generation;
import io.storagecontroller.model.LocationConfigMode;
import io.storagecontroller.model.NodeAvailability;
import io.storagecontroller.model.NodeId;
import io.storagecontroller.model.NodeSchedulingPolicy;
import io.storagecontroller.model.PlacementPolicy;
import io.storagecontroller.model.ShardCount;
import io.storagecontroller.model.ShardNumber;
import io.storagecontroller.model.ShardSchedulingPolicy;
import io.storagecontroller.model.ShardStripeSize;
import io.storagecontroller.model.TenantId;
import io.storagecontroller.model.TenantShardId;
import io.storagecontroller.pageserver.LocationConfig;
import io.storagecontroller.pageserver.PageserverJson;
import io.storagecontroller.tenant.ServiceState;
import io.storagecontroller.tenant.TenantShard;
import io.storagecontroller.tenant.TenantShardRow;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.springframework.http.HttpStatus;

/** Neon's split validation (neon-behaviour §5.2) and its child numbering, without I/O. */
class SplitPreconditionsTest {
  static final TenantId TENANT = TenantId.generate();
  static final NodeId A = new NodeId(1);
  static final Set<NodeId> AVAILABLE = Set.of(A);

  final ServiceState state = new ServiceState();

  SplitPreconditionsTest() {
    state.scheduler().upsertNode(A, "az", NodeSchedulingPolicy.ACTIVE, NodeAvailability.ACTIVE);
  }

  /** A tenant of {@code count} shards attached on A and confirmed there. */
  List<TenantShard> tenant(int count, PlacementPolicy policy) {
    List<TenantShard> shards = new ArrayList<>();
    for (int n = 0; n < Math.max(count, 1); n++) {
      TenantShardId id = new TenantShardId(TENANT, ShardNumber.of(n), ShardCount.of(count));
      TenantShard shard =
          state.newShard(
              new TenantShardRow(
                  id,
                  ShardStripeSize.DEFAULT,
                  Generation.of(3),
                  A,
                  policy,
                  false,
                  "{}",
                  ShardSchedulingPolicy.ACTIVE,
                  null,
                  A,
                  List.of()));
      if (policy instanceof PlacementPolicy.Attached) {
        shard.intent().setAttached(A);
        shard
            .observed()
            .set(
                A,
                new LocationConfig(
                    LocationConfigMode.ATTACHED_SINGLE,
                    3L,
                    null,
                    n,
                    count,
                    2048,
                    PageserverJson.mapper().createObjectNode()));
      }
      shards.add(shard);
    }
    return shards;
  }

  SplitCheck check(List<TenantShard> shards, int count, Long stripe) {
    return SplitPreconditions.check(
        TENANT,
        shards,
        ShardCount.of(count),
        stripe == null ? null : ShardStripeSize.of(stripe),
        AVAILABLE);
  }

  static HttpStatus statusOf(Runnable call) {
    try {
      call.run();
    } catch (ApiError e) {
      return e.status();
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
    List<TenantShard> shards = tenant(4, new PlacementPolicy.Attached(0));
    SplitCheck check = check(shards, 4, null);
    assertThat(check.isAlreadySplit()).isTrue();
    assertThat(check.alreadySplit())
        .containsExactlyElementsOf(shards.stream().map(TenantShard::id).toList());
  }

  @Test
  void refusalsCarryNeonsStatuses() {
    List<TenantShard> four = tenant(4, new PlacementPolicy.Attached(0));
    assertThat(statusOf(() -> check(List.of(), 2, null))).isEqualTo(HttpStatus.NOT_FOUND);
    assertThat(statusOf(() -> check(four, 2, null))).isEqualTo(HttpStatus.BAD_REQUEST);
    assertThat(statusOf(() -> check(four, 6, null))).isEqualTo(HttpStatus.BAD_REQUEST);
    assertThat(statusOf(() -> check(four, 8, 4096L))).isEqualTo(HttpStatus.BAD_REQUEST);
    assertThat(check(four, 8, 2048L).childStripe()).isEqualTo(ShardStripeSize.DEFAULT);
    assertThat(statusOf(() -> check(tenant(1, PlacementPolicy.SECONDARY), 2, null)))
        .isEqualTo(HttpStatus.BAD_REQUEST);
    four.get(1).setSplitting(true);
    assertThatThrownBy(() -> check(four, 8, null))
        .isInstanceOf(ApiError.class)
        .hasMessageContaining("mid-split");
  }

  @Test
  void aParentNotConfirmedOnAnAvailableNodeIsRetryLater() {
    List<TenantShard> shards = tenant(2, new PlacementPolicy.Attached(0));
    assertThat(
            statusOf(
                () -> SplitPreconditions.check(TENANT, shards, ShardCount.of(4), null, Set.of())))
        .isEqualTo(HttpStatus.SERVICE_UNAVAILABLE);
    shards.get(0).observed().markUnknown(A);
    assertThat(statusOf(() -> check(shards, 4, null))).isEqualTo(HttpStatus.SERVICE_UNAVAILABLE);
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
