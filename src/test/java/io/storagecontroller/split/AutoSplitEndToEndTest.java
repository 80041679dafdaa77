package io.storagecontroller.split;

import static org.assertj.core.api.Assertions.assertThat;

import io.storagecontroller.compute.ComputeNotifications;
import io.storagecontroller.compute.NotifyAttachRequest;
import io.storagecontroller.model.ShardCount;
import io.storagecontroller.model.TenantId;
import io.storagecontroller.model.TenantShardId;
import io.storagecontroller.model.TimelineId;
import io.storagecontroller.orchestration.AutoSplit;
import io.storagecontroller.testing.ControllerProcess;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;
import tools.jackson.databind.JsonNode;

/**
 * Tenants grown on the simulated pageservers ({@code top_tenants} reports the sizes the test sets)
 * are split by the control loop alone, as Neon's {@code test_sharding_autosplit} configures it:
 * initial split at 64 MiB into 4, then one shard per 192 MiB, at most 8 here.
 */
class AutoSplitEndToEndTest extends SplitFleetTest {
  static final long MIB = 1 << 20;
  static final String INITIAL = "storage_controller_auto_splits_total{kind=\"initial\"}";
  static final String SIZE = "storage_controller_auto_splits_total{kind=\"size\"}";

  @Autowired AutoSplit autoSplit;
  @Autowired ComputeNotifications notifications;

  @DynamicPropertySource
  static void autoSplitOn(DynamicPropertyRegistry registry) {
    registry.add("storage-controller.control-loop-interval", () -> "1s");
    registry.add("storage-controller.initial-split-threshold", () -> 64 * MIB);
    registry.add("storage-controller.initial-split-shards", () -> "4");
    registry.add("storage-controller.split-threshold", () -> 192 * MIB);
    registry.add("storage-controller.max-split-shards", () -> "8");
  }

  @Test
  void aTenantGrownPastTheThresholdsIsSplitAndItsComputeTold() {
    TenantId growing = TenantId.generate();
    TenantId small = TenantId.generate();
    assertThat(create(growing, 0, 1).status()).isEqualTo(201);
    assertThat(create(small, 0, 1).status()).isEqualTo(201);
    TimelineId timeline = createTimeline(growing);
    fleet.remoteStorage().setLogicalSize(small, 60 * MIB);
    double initialBefore = api.metric(INITIAL);
    double sizeBefore = api.metric(SIZE);

    // Over the initial threshold, under the per-shard one: the initial split, into 4.
    fleet.remoteStorage().setLogicalSize(growing, 100 * MIB);
    List<TenantShardId> four = SplitChildren.of(TenantShardId.unsharded(growing), ShardCount.of(4));
    awaitShards(growing, four);
    assertTimelines(growing, List.of(timeline));
    NotifyAttachRequest told = notifications.hook().lastDelivered(growing).orElseThrow();
    assertThat(told.shards()).hasSize(4);
    assertThat(told.stripeSize()).isEqualTo(2048L);

    // 1 GiB is 256 MiB per shard of 4: into the power of two that brings it under 192, 8.
    fleet.remoteStorage().setLogicalSize(growing, 1024 * MIB);
    List<TenantShardId> eight =
        four.stream()
            .flatMap(p -> SplitChildren.of(p, ShardCount.of(8)).stream())
            .sorted()
            .toList();
    awaitShards(growing, eight);
    assertTimelines(growing, List.of(timeline));
    assertThat(notifications.hook().lastDelivered(growing).orElseThrow().shards()).hasSize(8);

    // Far larger still, but --max-split-shards is 8; and the small tenant never qualified.
    fleet.remoteStorage().setLogicalSize(growing, 100_000 * MIB);
    assertThat(autoSplit.pass()).isEmpty();
    assertThat(shardIds(growing)).containsExactlyElementsOf(eight);
    assertThat(shardIds(small)).containsExactly(TenantShardId.unsharded(small));
    assertThat(splitOperations(small)).isEmpty();

    List<Map<String, Object>> splits = splitOperations(growing);
    assertThat(splits).extracting(op -> op.get("state")).containsExactly("succeeded", "succeeded");
    assertThat((String) splits.get(0).get("parameters"))
        .contains("\"new_shard_count\":4", "\"new_stripe_size\":2048");
    assertThat((String) splits.get(1).get("parameters")).contains("\"new_shard_count\":8");
    assertThat(api.metric(INITIAL) - initialBefore).isEqualTo(1);
    assertThat(api.metric(SIZE) - sizeBefore).isEqualTo(1);
    assertPlacedAsIntended(growing, 1);
  }

  @Test
  void anOperatorCancelsAnAutomaticSplitAndItStaysCancelledUntilRetried() {
    TenantId tenant = TenantId.generate();
    assertThat(create(tenant, 0, 1).status()).isEqualTo(201);
    TimelineId timeline = createTimeline(tenant);
    failpoint("shard-split-post-remote", "pause");
    fleet.remoteStorage().setLogicalSize(tenant, 100 * MIB);
    awaitParentsSplit(tenant, 1);

    long id = latestSplit(tenant).get("id").asLong();
    assertThat(api.post("/control/v1/operations/" + id + "/cancel", "").status()).isEqualTo(202);
    failpoint("shard-split-post-remote", "off");
    ControllerProcess.await(
        DEADLINE,
        () -> latestSplit(tenant).get("state").asString().equals("cancelled"),
        "the automatic split cancelled");
    awaitSettled();
    assertExactly(tenant, List.of(TenantShardId.unsharded(tenant)));

    // Still over the threshold, but an operator said no: no pass splits it again.
    assertThat(autoSplit.pass()).isEmpty();
    assertThat(latestSplit(tenant).get("id").asLong()).isEqualTo(id);

    // Retried by the operator, it splits as it would have.
    assertThat(api.post("/control/v1/operations/" + id + "/retry", "").status()).isIn(200, 202);
    List<TenantShardId> four = SplitChildren.of(TenantShardId.unsharded(tenant), ShardCount.of(4));
    awaitShards(tenant, four);
    assertTimelines(tenant, List.of(timeline));
  }

  /** Waits for the tenant to be exactly these shards once its split is over, then checks them. */
  private void awaitShards(TenantId tenant, List<TenantShardId> shards) {
    ControllerProcess.await(
        DEADLINE,
        () -> {
          JsonNode op = latestSplit(tenant);
          return op != null
              && op.get("state").asString().equals("succeeded")
              && shardIds(tenant).equals(shards);
        },
        tenant + " split into " + shards.size());
    awaitSettled();
    assertExactly(tenant, shards);
  }
}
