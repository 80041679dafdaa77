package io.storagecontroller.compute;

import static org.assertj.core.api.Assertions.assertThat;

import io.storagecontroller.model.NodeId;
import io.storagecontroller.model.TenantId;
import io.storagecontroller.reconcile.ReconcileSweep;
import io.storagecontroller.testing.ControllerProcess;
import io.storagecontroller.testing.FleetTest;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import tools.jackson.databind.JsonNode;

/**
 * The hook as the service drives it, in the shared test context (dev mode: no control-plane URL, so
 * notifications are logged and remembered): the reconcile workflow notifies, the sweep resends what
 * is pending, and describe shows the flag. Needs the activity and sweep wiring.
 */
class ComputeHookEndToEndTest extends FleetTest {
  @Autowired ComputeNotifications notifications;
  @Autowired ReconcileSweep sweep;

  private TenantId created(int shards) {
    TenantId tenant = TenantId.generate();
    assertThat(create(tenant, shards, 0).status()).isEqualTo(201);
    ControllerProcess.await(
        DEADLINE,
        () -> notifications.hook().lastDelivered(tenant).isPresent(),
        "a compute notification for " + tenant);
    return tenant;
  }

  private List<JsonNode> describedShards(TenantId tenant) {
    List<JsonNode> shards = new ArrayList<>();
    api.get("/control/v1/tenant/" + tenant).json().get("shards").forEach(shards::add);
    return shards;
  }

  @Test
  void aCreatedTenantIsNotifiedWithItsPlacement() {
    TenantId tenant = created(4);

    NotifyAttachRequest sent = notifications.hook().lastDelivered(tenant).orElseThrow();
    assertThat(sent.stripeSize()).isEqualTo(2048L);
    assertThat(sent.preferredAz()).isEqualTo("az-e2e");
    assertThat(sent.shards().stream().map(NotifyAttachShard::shardNumber))
        .containsExactly(0, 1, 2, 3);
    assertThat(sent.shards().stream().map(NotifyAttachShard::nodeId))
        .containsExactlyElementsOf(
            describedShards(tenant).stream()
                .map(s -> NodeId.of(s.get("node_attached").asLong()))
                .toList());
  }

  @Test
  void aPendingNotificationShowsInDescribeAndTheSweepSendsIt() throws Exception {
    TenantId tenant = created(1);

    notifications.markPending(tenant);
    assertThat(describedShards(tenant))
        .allMatch(s -> s.get("is_pending_compute_notification").asBoolean());

    sweep.sweep();
    assertThat(notifications.awaitIdle(DEADLINE)).isTrue();

    assertThat(describedShards(tenant))
        .noneMatch(s -> s.get("is_pending_compute_notification").asBoolean());
  }
}
