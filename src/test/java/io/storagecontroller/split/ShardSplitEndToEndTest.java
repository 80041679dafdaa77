package io.storagecontroller.split;

import static org.assertj.core.api.Assertions.assertThat;

import io.storagecontroller.compute.ComputeNotifications;
import io.storagecontroller.compute.NotifyAttachRequest;
import io.storagecontroller.model.NodeId;
import io.storagecontroller.model.ShardCount;
import io.storagecontroller.model.TenantId;
import io.storagecontroller.model.TenantShardId;
import io.storagecontroller.model.TimelineId;
import io.storagecontroller.testing.ApiClient.Response;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import tools.jackson.databind.JsonNode;

/** A legacy unsharded tenant split 1 → 4 → 8 on the simulator, its data readable after each. */
class ShardSplitEndToEndTest extends SplitFleetTest {
  @Autowired ComputeNotifications notifications;

  @Test
  void unshardedTenantSplitsToFourThenEightWithItsTimelines() {
    TenantId tenant = TenantId.generate();
    assertThat(create(tenant, 0, 1).status()).isEqualTo(201);
    TimelineId first = createTimeline(tenant);
    assertTimelines(tenant, List.of(first));

    Response four = split(tenant, 4);
    assertThat(four.status()).as(four.body()).isEqualTo(200);
    List<TenantShardId> fourShards =
        SplitChildren.of(TenantShardId.unsharded(tenant), ShardCount.of(4));
    assertThat(ids(four)).containsExactlyElementsOf(fourShards);
    awaitSettled();
    assertExactly(tenant, fourShards);
    assertTimelines(tenant, List.of(first));
    // Spread over the three nodes, each child with the secondary its policy asks for.
    Set<Long> attachedNodes = new HashSet<>();
    for (JsonNode s : api.get("/control/v1/tenant/" + tenant).json().get("shards")) {
      attachedNodes.add(s.get("node_attached").asLong());
      assertThat(s.get("node_secondary")).hasSize(1);
    }
    assertThat(attachedNodes).hasSize(3);
    assertPlacedAsIntended(tenant, 1);

    TimelineId second = createTimeline(tenant);
    Response eight = split(tenant, 8);
    assertThat(eight.status()).as(eight.body()).isEqualTo(200);
    List<TenantShardId> eightShards =
        fourShards.stream()
            .flatMap(p -> SplitChildren.of(p, ShardCount.of(8)).stream())
            .sorted()
            .toList();
    assertThat(ids(eight)).containsExactlyElementsOf(eightShards);
    awaitSettled();
    assertExactly(tenant, eightShards);
    assertTimelines(tenant, List.of(first, second));
    assertPlacedAsIntended(tenant, 1);

    // The compute learns the new layout with the stripe size.
    NotifyAttachRequest told = notifications.hook().lastDelivered(tenant).orElseThrow();
    assertThat(told.stripeSize()).isEqualTo(2048L);
    assertThat(told.shards()).hasSize(8);

    // Repeating the request answers the same children and starts nothing.
    Response again = split(tenant, 8);
    assertThat(again.status()).isEqualTo(200);
    assertThat(ids(again)).containsExactlyElementsOf(eightShards);
    assertThat(split(tenant, 4).status()).isEqualTo(400);
    assertThat(split(tenant, 12).status()).isEqualTo(400);

    List<Map<String, Object>> operations = splitOperations(tenant);
    assertThat(operations).hasSize(2);
    for (Map<String, Object> op : operations) {
      assertThat(op.get("state")).isEqualTo("succeeded");
      assertThat(op.get("phase")).isEqualTo("completed");
      assertThat(op.get("progress_done")).isEqualTo(op.get("progress_total"));
    }
    assertThat((String) operations.get(1).get("parameters")).contains("\"new_shard_count\":8");
    assertThat(
            api.get("/control/v1/operations/" + operations.get(1).get("id"))
                .json()
                .get("workflow_id")
                .asString())
        .isEqualTo("split/" + tenant);
  }

  @Test
  void aSingleShardTenantMayTakeANewStripeSize() {
    TenantId tenant = TenantId.generate();
    assertThat(create(tenant, 1, 0).status()).isEqualTo(201);
    TimelineId timeline = createTimeline(tenant);

    Response two =
        api.put(
            "/control/v1/tenant/" + tenant + "/shard_split",
            "{\"new_shard_count\":2,\"new_stripe_size\":32768}");
    assertThat(two.status()).as(two.body()).isEqualTo(200);
    awaitSettled();
    List<TenantShardId> shards = ids(two);
    assertExactly(tenant, shards);
    assertTimelines(tenant, List.of(timeline));
    for (JsonNode s : api.get("/control/v1/tenant/" + tenant).json().get("shards")) {
      NodeId node = new NodeId(s.get("node_attached").asLong());
      TenantShardId id = TenantShardId.parse(s.get("tenant_shard_id").asString());
      assertThat(fleet.pageserver(node).location(id).orElseThrow().shardStripeSize())
          .isEqualTo(32768);
    }
    assertThat(api.get("/control/v1/tenant/" + tenant).json().get("stripe_size").asLong())
        .isEqualTo(32768);

    // Once sharded, the stripe size stays.
    Response refused =
        api.put(
            "/control/v1/tenant/" + tenant + "/shard_split",
            "{\"new_shard_count\":4,\"new_stripe_size\":2048}");
    assertThat(refused.status()).isEqualTo(400);
  }

  @Test
  void requestsThatCannotSplitAreRefusedWithNeonsStatuses() {
    TenantId unknown = TenantId.generate();
    assertThat(split(unknown, 2).status()).isEqualTo(404);
    TenantId tenant = TenantId.generate();
    assertThat(create(tenant, 2, 0).status()).isEqualTo(201);
    assertThat(api.put("/control/v1/tenant/" + tenant + "/shard_split", "{}").status())
        .isEqualTo(400);
    assertThat(split(tenant, 1).status()).isEqualTo(400);
    assertThat(split(tenant, 3).status()).isEqualTo(400);
    assertThat(split(tenant, 256).status()).isEqualTo(400);
    Response hugeStripe =
        api.put(
            "/control/v1/tenant/" + tenant + "/shard_split",
            "{\"new_shard_count\":4,\"new_stripe_size\":3000000000}");
    assertThat(hugeStripe.status()).isEqualTo(400);
    assertThat(hugeStripe.msg()).contains("invalid `new_stripe_size`: 3000000000");
    assertThat(api.delete("/control/v1/tenant/" + tenant + "/shard_split").status()).isEqualTo(404);
    api.put("/control/v1/tenant/" + tenant + "/policy", "{\"placement\":\"Secondary\"}");
    Response detached = split(tenant, 4);
    assertThat(detached.status()).isEqualTo(400);
    assertThat(detached.msg()).contains("not attached");
    assertThat(splitOperations(tenant)).isEmpty();
  }
}
