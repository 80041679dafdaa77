package io.storagecontroller.migration;

import io.storagecontroller.activities.TaskQueues;
import io.storagecontroller.http.ApiError;
import io.storagecontroller.model.NodeId;
import io.storagecontroller.model.TenantShardId;
import io.storagecontroller.operation.Operation;
import io.storagecontroller.operation.OperationKind;
import io.storagecontroller.operation.OperationPersistence;
import io.storagecontroller.persistence.SerializableTransactions;
import io.storagecontroller.reconcile.ReconcileTrigger;
import io.storagecontroller.tenant.ShardMigrations;
import io.storagecontroller.workflows.migration.LiveMigrationWorkflow;
import io.storagecontroller.workflows.migration.MigrationRequest;
import io.temporal.api.enums.v1.WorkflowIdReusePolicy;
import io.temporal.client.WorkflowClient;
import io.temporal.client.WorkflowOptions;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.stereotype.Service;

/**
 * An operator's {@code PUT /control/v1/tenant/:tenant_shard_id/migrate}: moves the intent, records
 * an operation and starts {@code migrate/<tenant_shard_id>}. Also the {@code migrate} operation
 * kind, so a failed or cancelled migration can be retried.
 */
@Service
public class LiveMigrations implements OperationKind {
  public static final String KIND = "migrate";

  private static final Logger log = LoggerFactory.getLogger(LiveMigrations.class);

  private final ShardMigrations migrations;
  private final ReconcileTrigger reconciles;
  private final OperationPersistence operations;
  private final SerializableTransactions transactions;
  private final WorkflowClient workflows;

  public LiveMigrations(
      ShardMigrations migrations,
      ReconcileTrigger reconciles,
      OperationPersistence operations,
      SerializableTransactions transactions,
      WorkflowClient workflows) {
    this.migrations = migrations;
    this.reconciles = reconciles;
    this.operations = operations;
    this.transactions = transactions;
    this.workflows = workflows;
  }

  /**
   * Returns the migration's operation, empty when no live migration is needed (already there, or
   * nothing attached to hand over, in which case a reconcile attaches the destination).
   */
  public Optional<Operation> migrate(
      TenantShardId id,
      NodeId expectedOrigin,
      boolean overrideScheduler,
      MigrationParameters parameters) {
    NodeId destination = new NodeId(parameters.destination());
    Optional<ShardMigrations.Begun> begun =
        migrations.begin(id, destination, expectedOrigin, overrideScheduler);
    if (begun.isEmpty()) {
      return Optional.empty();
    }
    if (begun.get().origin() == null) {
      reconciles.request(id.tenantId());
      return Optional.empty();
    }
    String workflowId = LiveMigrationWorkflow.workflowId(id.toString());
    long operation =
        transactions.execute(
            "insert_operation",
            () -> operations.start(KIND, id.toString(), workflowId, 1, parameters.toJson()));
    MigrationRequest request =
        new MigrationRequest(
            id.toString(),
            begun.get().origin().value(),
            destination.value(),
            operation,
            parameters.prewarm(),
            parameters.warmupTimeout(),
            parameters.warmupRequestTimeout());
    try {
      LiveMigrationWorkflow workflow =
          workflows.newWorkflowStub(
              LiveMigrationWorkflow.class,
              WorkflowOptions.newBuilder()
                  .setTaskQueue(TaskQueues.CONTROLLER)
                  .setWorkflowId(workflowId)
                  .setWorkflowIdReusePolicy(
                      WorkflowIdReusePolicy.WORKFLOW_ID_REUSE_POLICY_ALLOW_DUPLICATE)
                  .build());
      WorkflowClient.start(workflow::migrate, request);
    } catch (RuntimeException e) {
      // Nothing ran: the reconcile carries out the intent (a plain cut-over) instead.
      migrations.end(id);
      reconciles.request(id.tenantId());
      transactions.run(
          "update_operation",
          () -> operations.finish(operation, Operation.FAILED, "not started: " + e.getMessage()));
      throw ApiError.unavailable("Could not start the migration of " + id + ": " + e.getMessage());
    }
    log.info(
        "{}: live migration from node {} to node {} started (operation {})",
        id,
        begun.get().origin(),
        destination,
        operation);
    return Optional.of(
        transactions.execute("get_operation", () -> operations.find(operation)).orElseThrow());
  }

  @Override
  public String kind() {
    return KIND;
  }

  @Override
  public Operation retry(Operation previous) {
    TenantShardId id = TenantShardId.parse(previous.target());
    MigrationParameters parameters = MigrationParameters.fromJson(previous.parameters());
    return migrate(id, null, false, parameters)
        .orElseThrow(
            () ->
                ApiError.conflict(
                    "Tenant shard "
                        + id
                        + " is already attached to node "
                        + parameters.destination()
                        + "; nothing to retry"));
  }

  @Override
  public void interrupted(Operation operation) {
    // The intent already names the destination; the start-up reconcile completes the move.
  }
}
