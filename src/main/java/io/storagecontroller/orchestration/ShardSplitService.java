package io.storagecontroller.orchestration;

import io.storagecontroller.activities.split.ShardSplitActivities;
import io.storagecontroller.activities.split.SplitRequest;
import io.storagecontroller.model.Refusal;
import io.storagecontroller.model.ShardCount;
import io.storagecontroller.model.ShardStripeSize;
import io.storagecontroller.model.TenantId;
import io.storagecontroller.model.TenantShardId;
import io.storagecontroller.node.NodeService;
import io.storagecontroller.operation.Operation;
import io.storagecontroller.operation.OperationLog;
import io.storagecontroller.shard.ShardStore;
import io.storagecontroller.shard.ShardView;
import io.storagecontroller.shard.TenantShardRow;
import io.storagecontroller.split.SplitCheck;
import io.storagecontroller.split.SplitParameters;
import io.storagecontroller.split.SplitPreconditions;
import io.storagecontroller.workflows.split.ShardSplitWorkflow;
import io.temporal.client.WorkflowClient;
import io.temporal.client.WorkflowException;
import io.temporal.client.WorkflowExecutionAlreadyStarted;
import io.temporal.client.WorkflowFailedException;
import io.temporal.client.WorkflowStub;
import io.temporal.failure.ApplicationFailure;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
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

  /** Neon's RECONCILE_TIMEOUT, its split's barrier against in-flight reconciles. */
  static final Duration IN_FLIGHT_WAIT = Duration.ofSeconds(30);

  private final WorkflowStubs stubs;
  private final WorkflowClient workflows;
  private final ShardStore store;
  private final NodeService nodes;
  private final OperationLog operations;

  public ShardSplitService(
      WorkflowStubs stubs, ShardStore store, NodeService nodes, OperationLog operations) {
    this.stubs = stubs;
    this.workflows = stubs.client();
    this.store = store;
    this.nodes = nodes;
    this.operations = operations;
  }

  /** Splits the tenant and waits for the workflow; returns the tenant's shards afterwards. */
  public List<TenantShardId> split(TenantId tenant, SplitParameters parameters) {
    ShardCount newCount = count(parameters);
    ShardStripeSize newStripe = stripe(parameters);
    awaitMovesInFlight(tenant);
    SplitCheck check =
        SplitPreconditions.check(
            tenant, store.tenant(tenant), newCount, newStripe, nodes.availableNodes());
    if (check.isAlreadySplit()) {
      return check.alreadySplit();
    }
    Started started = start(tenant, parameters, false, null);
    try {
      // The stub that started the workflow waits for that run, not a later one.
      return List.of(WorkflowStub.fromTyped(started.workflow()).getResult(TenantShardId[].class));
    } catch (WorkflowFailedException e) {
      throw answer(tenant, e);
    } catch (WorkflowException e) {
      // Temporal did not answer: the split goes on (or is repaired at start); its operation says.
      throw Refusal.unavailable(
          "Lost track of the split of tenant "
              + tenant
              + ": "
              + e.getMessage()
              + "; see its operation");
    }
  }

  /**
   * Neon's split first waits (up to {@link #IN_FLIGHT_WAIT}) for the tenant's reconciles in flight,
   * a live migration among them: a split asked for during a migration waits for it rather than
   * being refused. A shard held by another kind of operation (a drain's move, another split) is
   * refused at once by the preconditions.
   */
  private void awaitMovesInFlight(TenantId tenant) {
    long deadline = System.nanoTime() + IN_FLIGHT_WAIT.toNanos();
    while (moving(tenant)) {
      if (System.nanoTime() > deadline) {
        return;
      }
      try {
        Thread.sleep(100);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw Refusal.unavailable("Interrupted waiting to split tenant " + tenant);
      }
    }
  }

  private boolean moving(TenantId tenant) {
    for (ShardView shard : store.tenant(tenant)) {
      if (store.writing(shard.id())) {
        return true;
      }
      if (shard.held()
          && operations
              .find(shard.heldBy())
              .filter(op -> op.running() && LiveMigrations.KIND.equals(op.kind()))
              .isPresent()) {
        return true;
      }
    }
    return false;
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
    return operations.running(KIND, tenant.toString());
  }

  private record Started(long operationId, ShardSplitWorkflow workflow) {}

  private Operation started(Started started) {
    return operations.find(started.operationId()).orElseThrow();
  }

  private Started start(TenantId tenant, SplitParameters parameters, boolean resume, String phase) {
    count(parameters);
    stripe(parameters);
    running(tenant)
        .ifPresent(
            op -> {
              throw Refusal.conflict(
                  "Cannot split, currently mid-split (operation " + op.id() + ")");
            });
    String workflowId = ShardSplitWorkflow.workflowId(tenant);
    long operationId =
        phase == null
            ? operations.start(KIND, tenant.toString(), workflowId, 0, parameters.toJson())
            : operations.startAt(KIND, tenant.toString(), workflowId, parameters.toJson(), phase);
    ShardSplitWorkflow workflow =
        stubs.of(
            ShardSplitWorkflow.class,
            workflowId,
            WorkflowTags.of(KIND).tenant(tenant).operation(operationId));
    try {
      WorkflowClient.start(
          workflow::split,
          new SplitRequest(
              operationId, tenant, parameters.newShardCount(), parameters.newStripeSize(), resume));
      log.info(
          "tenant {}: split to {} shards started (operation {}, workflow {})",
          tenant,
          parameters.newShardCount(),
          operationId,
          workflowId);
      return new Started(operationId, workflow);
    } catch (WorkflowExecutionAlreadyStarted e) {
      operations.finish(operationId, Operation.FAILED, "another split of this tenant is running");
      throw Refusal.conflict("Cannot split, currently mid-split");
    } catch (WorkflowException e) {
      operations.finish(operationId, Operation.FAILED, "not started: " + e.getMessage());
      throw Refusal.unavailable("Cannot start the split now: " + e.getMessage());
    }
  }

  /** The API's answer for a split that did not complete. */
  private static Refusal answer(TenantId tenant, WorkflowFailedException e) {
    if (e.getCause() instanceof ApplicationFailure failure) {
      if (ShardSplitActivities.REFUSED.equals(failure.getType())) {
        return Refusal.of(refusalKind(failure), failure.getOriginalMessage());
      }
      // Neon answers a split that failed on a pageserver with 409 ("Failed to split ...").
      return Refusal.conflict(failure.getOriginalMessage());
    }
    log.warn("tenant {}: split workflow failed unexpectedly", tenant, e);
    return Refusal.unavailable(
        "Shard split of tenant " + tenant + " did not complete: " + e.getMessage());
  }

  /** The refusal's kind, the workflow's detail; a run from before kinds were recorded: conflict. */
  private static Refusal.Kind refusalKind(ApplicationFailure failure) {
    try {
      return Refusal.Kind.valueOf(failure.getDetails().get(0, String.class));
    } catch (RuntimeException unknown) {
      return Refusal.Kind.CONFLICT;
    }
  }

  private static ShardCount count(SplitParameters parameters) {
    try {
      return ShardCount.of(parameters.newShardCount());
    } catch (IllegalArgumentException e) {
      throw Refusal.badRequest("invalid `new_shard_count`: " + e.getMessage());
    }
  }

  private static ShardStripeSize stripe(SplitParameters parameters) {
    if (parameters.newStripeSize() != null
        && parameters.newStripeSize() > TenantShardRow.MAX_STORED) {
      throw Refusal.badRequest(
          "invalid `new_stripe_size`: "
              + parameters.newStripeSize()
              + " is more than "
              + TenantShardRow.MAX_STORED);
    }
    try {
      return parameters.newStripeSize() == null
          ? null
          : ShardStripeSize.of(parameters.newStripeSize());
    } catch (IllegalArgumentException e) {
      throw Refusal.badRequest("invalid `new_stripe_size`: " + e.getMessage());
    }
  }
}
