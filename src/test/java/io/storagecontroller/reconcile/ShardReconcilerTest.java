package io.storagecontroller.reconcile;

import static org.assertj.core.api.Assertions.assertThat;

import io.storagecontroller.model.LocationConfigMode;
import io.storagecontroller.model.NodeId;
import io.storagecontroller.model.TenantId;
import io.storagecontroller.model.TenantShardId;
import io.storagecontroller.operation.OperationLog;
import io.storagecontroller.pageserver.LocationConfig;
import io.storagecontroller.shard.ShardStore;
import io.storagecontroller.shard.ShardView;
import io.storagecontroller.testing.ControllerProcess;
import io.storagecontroller.testing.FleetTest;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;

/**
 * The reconciler called directly, without a workflow: it moves an attachment in live-migration
 * order (never two AttachedSingle), and leaves a shard held by an operation alone. The tenant's
 * scheduling policy is Stop, so that no background reconcile races the direct calls.
 */
class ShardReconcilerTest extends FleetTest {
  @Autowired ShardReconciler reconciler;
  @Autowired ShardStore store;
  @Autowired OperationLog operations;

  private TenantShardId attachedStoppedShard() {
    TenantId tenant = TenantId.generate();
    assertThat(
            api.post(
                    "/v1/tenant",
                    "{\"new_tenant_id\":\"%s\",\"placement_policy\":{\"Attached\":1}}"
                        .formatted(tenant))
                .status())
        .isEqualTo(201);
    TenantShardId id = TenantShardId.unsharded(tenant);
    ControllerProcess.await(
        DEADLINE,
        () -> ShardReconcilePlanner.dirty(store.tenant(tenant), available()).isEmpty(),
        "tenant reconciled");
    assertThat(
            api.put("/control/v1/tenant/" + tenant + "/policy", "{\"scheduling\":\"Stop\"}")
                .status())
        .isEqualTo(200);
    return id;
  }

  private java.util.Set<NodeId> available() {
    return java.util.Set.copyOf(fleet.pageservers().stream().map(ps -> ps.nodeId()).toList());
  }

  private long heldByInDump(TenantShardId id) {
    for (var shard : api.get("/debug/v1/tenant").json()) {
      if (shard.get("tenant_shard_id").asString().equals(id.toString())) {
        return shard.get("held_by").asLong();
      }
    }
    throw new AssertionError(id + " is not in the dump");
  }

  private ShardView view(TenantShardId id) {
    return store.shard(id).orElseThrow();
  }

  @Test
  void anAttachmentMovesInLiveMigrationOrder() {
    TenantShardId id = attachedStoppedShard();
    ShardView before = view(id);
    NodeId origin = before.attached();
    NodeId destination = before.secondaries().get(0);
    store.change(
        id.tenantId(),
        "update_tenant_shard",
        edit -> {
          edit.shard(id).orElseThrow().intent().promoteSecondary(destination);
          return null;
        });

    ShardReconciler.Outcome outcome = reconciler.reconcile(id);

    assertThat(outcome.attachmentChanged()).isTrue();
    ShardView after = view(id);
    assertThat(after.generation().value()).isGreaterThan(before.generation().value());
    assertThat(after.generationPageserver()).isEqualTo(destination);
    Optional<LocationConfig> atDestination = fleet.pageserver(destination).location(id);
    assertThat(atDestination)
        .get()
        .extracting(LocationConfig::mode)
        .isEqualTo(LocationConfigMode.ATTACHED_SINGLE);
    assertThat(atDestination.get().generation()).isEqualTo(after.generation().value());
    assertThat(fleet.pageserver(origin).location(id))
        .get()
        .extracting(LocationConfig::mode)
        .isEqualTo(LocationConfigMode.SECONDARY);
    assertThat(fleet.safety().violations()).isEmpty();
    assertThat(ShardReconcilePlanner.plan(new ShardSnapshot(after, available())).isEmpty())
        .isTrue();
  }

  @Test
  void aShardHeldByAnOperationIsLeftToIt() {
    TenantShardId id = attachedStoppedShard();
    long operation = operations.start("migrate", id.toString(), "migrate/" + id, 1, null);
    ShardView before = view(id);
    NodeId destination = before.secondaries().get(0);
    store.change(
        id.tenantId(),
        "update_tenant_shard",
        edit -> {
          var shard = edit.shard(id).orElseThrow();
          shard.intent().promoteSecondary(destination);
          shard.holdFor(operation);
          return null;
        });

    // Operators see the holder in the shard dump.
    assertThat(heldByInDump(id)).isEqualTo(operation);

    ShardReconciler.Outcome outcome = reconciler.reconcile(id);

    assertThat(outcome.attachmentChanged()).isFalse();
    assertThat(view(id).generation()).isEqualTo(before.generation());
    assertThat(fleet.pageserver(destination).location(id))
        .get()
        .extracting(LocationConfig::mode)
        .isEqualTo(LocationConfigMode.SECONDARY);
    operations.finish(operation, "cancelled", null);
    assertThat(view(id).held()).isFalse();
  }
}
