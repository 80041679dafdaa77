package io.storagecontroller.temporal;

import static org.assertj.core.api.Assertions.assertThat;

import io.storagecontroller.model.TenantId;
import io.storagecontroller.model.TenantShardId;
import io.storagecontroller.testing.ApiClient.Response;
import io.storagecontroller.testing.ControllerProcess;
import io.storagecontroller.testing.FleetTest;
import io.storagecontroller.workflows.reconcile.ReconcileWorkflow;
import io.temporal.client.WorkflowClient;
import io.temporal.common.SearchAttributes;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import tools.jackson.databind.JsonNode;

/**
 * What an operator types in the Temporal UI's query box finds the workflows of a tenant or node:
 * each workflow the controller starts carries its tenant, nodes, kind and operation id.
 */
class WorkflowSearchAttributesEndToEndTest extends FleetTest {
  @Autowired WorkflowClient workflows;

  @Test
  void aTenantsReconcileAndMigrationAndANodesDrainCarryWhatTheyActOn() {
    TenantId tenant = TenantId.generate();
    Response created = create(tenant, 0, 1);
    assertThat(created.status()).as(created.body()).isEqualTo(201);
    SearchAttributes reconcile = attributes(ReconcileWorkflow.workflowId(tenant));
    assertThat(reconcile.get(WorkflowSearchAttributes.TENANT_ID)).isEqualTo(tenant.toString());
    assertThat(reconcile.get(WorkflowSearchAttributes.OPERATION_KIND)).isEqualTo("reconcile");

    JsonNode shard = api.get("/control/v1/tenant/" + tenant).json().get("shards").get(0);
    long origin = shard.get("node_attached").asLong();
    long destination = shard.get("node_secondary").get(0).asLong();
    TenantShardId id = TenantShardId.unsharded(tenant);
    Response migrated =
        api.put("/control/v1/tenant/" + id + "/migrate", "{\"node_id\":%d}".formatted(destination));
    assertThat(migrated.status()).as(migrated.body()).isEqualTo(200);
    JsonNode migration = latest("migrate", id.toString());
    SearchAttributes moved = attributes(migration.get("workflow_id").asString());
    assertThat(moved.get(WorkflowSearchAttributes.TENANT_ID)).isEqualTo(tenant.toString());
    assertThat(moved.get(WorkflowSearchAttributes.NODE_ID))
        .containsExactly(String.valueOf(origin), String.valueOf(destination));
    assertThat(moved.get(WorkflowSearchAttributes.OPERATION_KIND)).isEqualTo("migrate");
    assertThat(moved.get(WorkflowSearchAttributes.OPERATION_ID))
        .isEqualTo(migration.get("id").asLong());

    assertThat(api.put("/control/v1/node/" + origin + "/drain", "").status()).isEqualTo(202);
    JsonNode drain = latest("drain", "node/" + origin);
    SearchAttributes drained = attributes(drain.get("workflow_id").asString());
    assertThat(drained.get(WorkflowSearchAttributes.NODE_ID))
        .containsExactly(String.valueOf(origin));
    assertThat(drained.get(WorkflowSearchAttributes.OPERATION_KIND)).isEqualTo("drain");
    assertThat(drained.get(WorkflowSearchAttributes.OPERATION_ID))
        .isEqualTo(drain.get("id").asLong());
    assertThat(drained.get(WorkflowSearchAttributes.TENANT_ID)).isNull();
    ControllerProcess.await(
        DEADLINE,
        () -> !"running".equals(operation(drain.get("id").asLong()).get("state").asString()),
        "drain finished");
  }

  private SearchAttributes attributes(String workflowId) {
    return workflows.newUntypedWorkflowStub(workflowId).describe().getTypedSearchAttributes();
  }

  private JsonNode operation(long id) {
    return api.get("/control/v1/operations/" + id).json();
  }

  private JsonNode latest(String kind, String target) {
    for (JsonNode op : api.get("/control/v1/operations?limit=50").json()) {
      if (op.get("kind").asString().equals(kind) && op.get("target").asString().equals(target)) {
        return op;
      }
    }
    throw new AssertionError("no " + kind + " operation on " + target);
  }
}
