package io.storagecontroller.orchestration;

import static org.assertj.core.api.Assertions.assertThat;

import io.storagecontroller.model.Generation;
import io.storagecontroller.model.PlacementPolicy;
import io.storagecontroller.model.ShardSchedulingPolicy;
import io.storagecontroller.model.ShardStripeSize;
import io.storagecontroller.model.TenantId;
import io.storagecontroller.model.TenantShardId;
import io.storagecontroller.operation.Operation;
import io.storagecontroller.operation.OperationLog;
import io.storagecontroller.operation.OperationPersistence;
import io.storagecontroller.persistence.SerializableTransactions;
import io.storagecontroller.shard.ShardStore;
import io.storagecontroller.shard.ShardView;
import io.storagecontroller.shard.TenantShardRow;
import io.storagecontroller.testing.ControllerTest;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.jdbc.core.simple.JdbcClient;

/**
 * Ownership that survives and does not outlive its operation: whatever ended an operation (a lost
 * activity result, a workflow terminated or forgotten), the next pass of the repair closes it and
 * gives its shards back to the reconciler.
 */
class OperationRepairTest extends ControllerTest {
  @Autowired OperationRepair repair;
  @Autowired OperationLog operations;
  @Autowired OperationPersistence rows;
  @Autowired SerializableTransactions tx;
  @Autowired ShardStore store;
  @Autowired JdbcClient jdbc;

  TenantId tenant;

  @BeforeEach
  void detachedTenant() {
    tenant = TenantId.generate();
    store.addShard(
        new TenantShardRow(
            TenantShardId.unsharded(tenant),
            ShardStripeSize.DEFAULT,
            Generation.of(1),
            null,
            PlacementPolicy.DETACHED,
            false,
            "{}",
            ShardSchedulingPolicy.ACTIVE,
            null,
            null,
            List.of(),
            null));
  }

  @AfterEach
  void forget() {
    store.deleteTenant(tenant);
  }

  private void holdFor(long operation) {
    store.change(
        tenant,
        "update_tenant_shard",
        edit -> {
          edit.shards().forEach(s -> s.holdFor(operation));
          return null;
        });
  }

  private ShardView shard() {
    return store.tenant(tenant).get(0);
  }

  @Test
  void shardsHeldByAnOperationThatIsOverAreReleased() {
    long operation = operations.start("migrate", tenant.toString(), "migrate/" + tenant, 1, null);
    holdFor(operation);
    // The outcome was recorded but the release never happened (a process died in between).
    tx.run("update_operation", () -> rows.finish(operation, Operation.SUCCEEDED, null));
    assertThat(shard().heldBy()).isEqualTo(operation);

    assertThat(repair.repair()).isPositive();

    assertThat(shard().held()).isFalse();
    assertThat(store.finishedHolders()).doesNotContain(operation);
  }

  @Test
  void aRunningOperationWhoseWorkflowIsGoneIsClosedAndReleasesItsShards() {
    long operation =
        operations.start("migrate", tenant.toString(), "migrate/no-such-workflow", 1, null);
    holdFor(operation);
    // Younger than the grace a starting operation gets: left alone.
    repair.repair();
    assertThat(operations.find(operation).orElseThrow().running()).isTrue();

    jdbc.sql("UPDATE operations SET started_at = NOW() - INTERVAL '5 minutes' WHERE id = ?")
        .param(operation)
        .update();
    repair.repair();

    Operation closed = operations.find(operation).orElseThrow();
    assertThat(closed.state()).isEqualTo(Operation.FAILED);
    assertThat(closed.error()).contains("interrupted");
    assertThat(shard().held()).isFalse();
  }
}
