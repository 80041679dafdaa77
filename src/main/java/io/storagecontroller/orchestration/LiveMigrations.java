package io.storagecontroller.orchestration;

import io.storagecontroller.activities.migration.MigrationRequest;
import io.storagecontroller.migration.MigrationParameters;
import io.storagecontroller.migration.ShardMigrations;
import io.storagecontroller.model.NodeId;
import io.storagecontroller.model.Refusal;
import io.storagecontroller.model.TenantShardId;
import io.storagecontroller.operation.Operation;
import io.storagecontroller.operation.OperationLog;
import io.storagecontroller.reconcile.ReconcileRequests;
import io.storagecontroller.tenant.TenantService;
import io.storagecontroller.workflows.migration.LiveMigrationWorkflow;
import io.storagecontroller.workflows.migration.MigrationOutcome;
import io.temporal.client.WorkflowClient;
import io.temporal.client.WorkflowException;
import java.time.Duration;
import java.util.Locale;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
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
  private final ReconcileRequests reconciles;
  private final OperationLog operations;
  private final WorkflowStubs stubs;
  private final WorkflowClient workflows;
  private final TenantService tenants;

  public LiveMigrations(
      ShardMigrations migrations,
      ReconcileRequests reconciles,
      OperationLog operations,
      WorkflowStubs stubs,
      TenantService tenants) {
    this.tenants = tenants;
    this.migrations = migrations;
    this.reconciles = reconciles;
    this.operations = operations;
    this.stubs = stubs;
    this.workflows = stubs.client();
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
    Optional<ShardMigrations.Begun> planned =
        migrations.check(id, destination, expectedOrigin, overrideScheduler);
    if (planned.isEmpty()) {
      return Optional.empty();
    }
    if (!planned.get().handsOver()) {
      migrations.begin(id, destination, expectedOrigin, overrideScheduler, null);
      reconciles.request(id.tenantId());
      return Optional.empty();
    }
    String workflowId = LiveMigrationWorkflow.workflowId(id);
    long operation = operations.start(KIND, id.toString(), workflowId, 1, parameters.toJson());
    Optional<ShardMigrations.Begun> begun;
    try {
      begun = migrations.begin(id, destination, expectedOrigin, overrideScheduler, operation);
    } catch (RuntimeException e) {
      operations.finish(operation, Operation.FAILED, "refused: " + e.getMessage());
      throw e;
    }
    if (begun.isEmpty() || !begun.get().handsOver()) {
      // Raced with another change: nothing to hand over after all; a reconcile does the rest.
      reconciles.request(id.tenantId());
      operations.finish(operation, Operation.SUCCEEDED, null);
      return operations.find(operation);
    }
    MigrationRequest request =
        new MigrationRequest(
            id,
            begun.get().origin(),
            destination,
            operation,
            parameters.prewarm(),
            parameters.warmupTimeout(),
            parameters.warmupRequestTimeout(),
            operation);
    try {
      LiveMigrationWorkflow workflow =
          stubs.of(
              LiveMigrationWorkflow.class,
              workflowId,
              WorkflowTags.of(KIND)
                  .tenant(id.tenantId())
                  .nodes(begun.get().origin(), destination)
                  .operation(operation));
      WorkflowClient.start(workflow::migrate, request);
    } catch (RuntimeException e) {
      // Nothing ran: the reconcile carries out the intent (a plain cut-over) instead.
      migrations.end(id, operation);
      reconciles.request(id.tenantId());
      operations.finish(operation, Operation.FAILED, "not started: " + e.getMessage());
      throw Refusal.unavailable("Could not start the migration of " + id + ": " + e.getMessage());
    }
    log.info(
        "{}: live migration from node {} to node {} started (operation {})",
        id,
        begun.get().origin(),
        destination,
        operation);
    return operations.find(operation);
  }

  /**
   * Waits until the shard has moved: the migration's workflow is over, or, when no live migration
   * was needed, the tenant is reconciled. Neon answers a migration without prewarm only then (its
   * callers check the new location right after); past the timeout, 408 as Neon's.
   */
  public void awaitMoved(TenantShardId id, Optional<Operation> migration, Duration timeout) {
    if (migration.isEmpty() || !migration.get().running()) {
      if (!tenants.awaitReconciled(id.tenantId(), timeout)) {
        throw timedOut(id);
      }
      return;
    }
    MigrationOutcome outcome;
    try {
      outcome =
          workflows
              .newUntypedWorkflowStub(migration.get().workflowId())
              .getResult(timeout.toMillis(), TimeUnit.MILLISECONDS, MigrationOutcome.class);
    } catch (TimeoutException e) {
      throw timedOut(id);
    } catch (WorkflowException e) {
      throw Refusal.unavailable("The migration of " + id + " failed: " + e.getMessage());
    }
    if (outcome != MigrationOutcome.COMPLETED) {
      throw Refusal.conflict(
          "The migration of "
              + id
              + " did not complete ("
              + outcome.name().toLowerCase(Locale.ROOT)
              + "); see operation "
              + migration.get().id());
    }
  }

  /**
   * {@code migrate_secondary}: the shard's secondary moves to this node; answered once the
   * reconcile that places it is done (408 past the timeout, as Neon).
   */
  public void migrateSecondary(
      TenantShardId id, NodeId destination, boolean overrideScheduler, Duration timeout) {
    if (migrations.moveSecondaries(id, destination, overrideScheduler)) {
      reconciles.request(id.tenantId());
    }
    if (!tenants.awaitReconciled(id.tenantId(), timeout)) {
      throw timedOut(id);
    }
  }

  private static Refusal timedOut(TenantShardId id) {
    return Refusal.timeout("Timeout waiting for shard " + id + " to be reconciled");
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
                Refusal.conflict(
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
