package io.storagecontroller.split;

import io.storagecontroller.activities.TaskQueues;
import io.storagecontroller.activities.split.ShardSplitActivities;
import io.storagecontroller.activities.split.SplitRequest;
import io.storagecontroller.http.ApiError;
import io.storagecontroller.model.ShardCount;
import io.storagecontroller.model.ShardStripeSize;
import io.storagecontroller.model.TenantId;
import io.storagecontroller.model.TenantShardId;
import io.storagecontroller.node.NodeService;
import io.storagecontroller.operation.Operation;
import io.storagecontroller.operation.OperationPersistence;
import io.storagecontroller.persistence.SerializableTransactions;
import io.storagecontroller.tenant.ServiceState;
import io.storagecontroller.tenant.TenantShardPersistence;
import io.storagecontroller.workflows.split.ShardSplitWorkflow;
import io.temporal.api.enums.v1.WorkflowIdReusePolicy;
import io.temporal.client.WorkflowClient;
import io.temporal.client.WorkflowException;
import io.temporal.client.WorkflowExecutionAlreadyStarted;
import io.temporal.client.WorkflowFailedException;
import io.temporal.client.WorkflowOptions;
import io.temporal.client.WorkflowStub;
import io.temporal.failure.ApplicationFailure;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.http.HttpStatus;
import org.springframework.stereotype.Service;

/**
 * Starts shard splits ({@code split/<tenant_id>}) with their operation rows and, for the API, waits
 * for their outcome. A request the tenant already satisfies is answered without a workflow.
 */
@Service
public class ShardSplitService {
  private static final Logger log = LoggerFactory.getLogger(ShardSplitService.class);

  /** The operations table's kind for splits. */
  public static final String KIND = "split";

  private final WorkflowClient workflows;
  private final ServiceState state;
  private final NodeService nodes;
  private final OperationPersistence operations;
  private final SerializableTransactions transactions;

  public ShardSplitService(
      WorkflowClient workflows,
      ServiceState state,
      NodeService nodes,
      OperationPersistence operations,
      SerializableTransactions transactions) {
    this.workflows = workflows;
    this.state = state;
    this.nodes = nodes;
    this.operations = operations;
    this.transactions = transactions;
  }

  /** Splits the tenant and waits for the workflow; returns the tenant's shards afterwards. */
  public List<TenantShardId> split(TenantId tenant, SplitParameters parameters) {
    ShardCount newCount = count(parameters);
    ShardStripeSize newStripe = stripe(parameters);
    SplitCheck check =
        state.read(
            () ->
                SplitPreconditions.check(
                    tenant, state.tenant(tenant), newCount, newStripe, nodes.availableNodes()));
    if (check.isAlreadySplit()) {
      return check.alreadySplit();
    }
    Started started = start(tenant, parameters, false, null);
    try {
      // The stub that started the workflow waits for that run, not a later one.
      String[] shards = WorkflowStub.fromTyped(started.workflow()).getResult(String[].class);
      return Arrays.stream(shards).map(TenantShardId::parse).toList();
    } catch (WorkflowFailedException e) {
      throw answer(tenant, e);
    } catch (WorkflowException e) {
      // Temporal did not answer: the split goes on (or is repaired at start); its operation says.
      throw ApiError.unavailable(
          "Lost track of the split of tenant "
              + tenant
              + ": "
              + e.getMessage()
              + "; see its operation");
    }
  }

  /** Starts a split in the background (retry from the operations API); returns its operation. */
  public Operation start(TenantId tenant, SplitParameters parameters) {
    return started(start(tenant, parameters, false, null));
  }

  /**
   * Starts the steps after the commit of a split whose controller died before finishing them.
   *
   * @param phase the phase the new operation starts in
   */
  public Operation resume(TenantId tenant, SplitParameters parameters, String phase) {
    return started(start(tenant, parameters, true, phase));
  }

  /** The split running for the tenant, if any. */
  public Optional<Operation> running(TenantId tenant) {
    return transactions.execute("get_operation", () -> operations.running(KIND, tenant.toString()));
  }

  private record Started(long operationId, ShardSplitWorkflow workflow) {}

  private Operation started(Started started) {
    return transactions
        .execute("get_operation", () -> operations.find(started.operationId()))
        .orElseThrow();
  }

  private Started start(TenantId tenant, SplitParameters parameters, boolean resume, String phase) {
    count(parameters);
    stripe(parameters);
    running(tenant)
        .ifPresent(
            op -> {
              throw ApiError.conflict(
                  "Cannot split, currently mid-split (operation " + op.id() + ")");
            });
    String workflowId = ShardSplitWorkflow.workflowId(tenant.toString());
    long operationId =
        transactions.execute(
            "insert_operation",
            () -> {
              long id =
                  operations.start(KIND, tenant.toString(), workflowId, 0, parameters.toJson());
              if (phase != null) {
                operations.phase(id, phase);
              }
              return id;
            });
    ShardSplitWorkflow workflow =
        workflows.newWorkflowStub(
            ShardSplitWorkflow.class,
            WorkflowOptions.newBuilder()
                .setTaskQueue(TaskQueues.CONTROLLER)
                .setWorkflowId(workflowId)
                .setWorkflowIdReusePolicy(
                    WorkflowIdReusePolicy.WORKFLOW_ID_REUSE_POLICY_ALLOW_DUPLICATE)
                .build());
    try {
      WorkflowClient.start(
          workflow::split,
          new SplitRequest(
              operationId,
              tenant.toString(),
              parameters.newShardCount(),
              parameters.newStripeSize(),
              resume));
      log.info(
          "tenant {}: split to {} shards started (operation {}, workflow {})",
          tenant,
          parameters.newShardCount(),
          operationId,
          workflowId);
      return new Started(operationId, workflow);
    } catch (WorkflowExecutionAlreadyStarted e) {
      transactions.run(
          "update_operation",
          () ->
              operations.finish(
                  operationId, Operation.FAILED, "another split of this tenant is running"));
      throw ApiError.conflict("Cannot split, currently mid-split");
    } catch (WorkflowException e) {
      transactions.run(
          "update_operation",
          () -> operations.finish(operationId, Operation.FAILED, "not started: " + e.getMessage()));
      throw ApiError.unavailable("Cannot start the split now: " + e.getMessage());
    }
  }

  /** The API's answer for a split that did not complete. */
  private static ApiError answer(TenantId tenant, WorkflowFailedException e) {
    if (e.getCause() instanceof ApplicationFailure failure) {
      if (ShardSplitActivities.REFUSED.equals(failure.getType())) {
        Integer status = failure.getDetails().get(0, Integer.class);
        HttpStatus resolved = status == null ? null : HttpStatus.resolve(status);
        return ApiError.withStatus(
            resolved == null ? HttpStatus.CONFLICT : resolved, failure.getOriginalMessage());
      }
      // Neon answers a split that failed on a pageserver with 409 ("Failed to split ...").
      return ApiError.conflict(failure.getOriginalMessage());
    }
    log.warn("tenant {}: split workflow failed unexpectedly", tenant, e);
    return ApiError.unavailable(
        "Shard split of tenant " + tenant + " did not complete: " + e.getMessage());
  }

  private static ShardCount count(SplitParameters parameters) {
    try {
      return ShardCount.of(parameters.newShardCount());
    } catch (IllegalArgumentException e) {
      throw ApiError.badRequest("invalid `new_shard_count`: " + e.getMessage());
    }
  }

  private static ShardStripeSize stripe(SplitParameters parameters) {
    if (parameters.newStripeSize() != null
        && parameters.newStripeSize() > TenantShardPersistence.MAX_STORED) {
      throw ApiError.badRequest(
          "invalid `new_stripe_size`: "
              + parameters.newStripeSize()
              + " is more than "
              + TenantShardPersistence.MAX_STORED);
    }
    try {
      return parameters.newStripeSize() == null
          ? null
          : ShardStripeSize.of(parameters.newStripeSize());
    } catch (IllegalArgumentException e) {
      throw ApiError.badRequest("invalid `new_stripe_size`: " + e.getMessage());
    }
  }
}
