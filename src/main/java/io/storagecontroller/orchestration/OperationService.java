package io.storagecontroller.orchestration;

import io.storagecontroller.model.Refusal;
import io.storagecontroller.operation.Operation;
import io.storagecontroller.operation.OperationLog;
import io.storagecontroller.shard.ShardStore;
import io.storagecontroller.workflows.CancelSignal;
import io.temporal.client.WorkflowClient;
import io.temporal.client.WorkflowNotFoundException;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Function;
import java.util.stream.Collectors;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.stereotype.Service;

/** Cancel and retry of long operations, answered from the operations table. */
@Service
public class OperationService {
  private static final Logger log = LoggerFactory.getLogger(OperationService.class);

  private final OperationLog operations;
  private final WorkflowClient workflows;
  private final ShardStore store;
  private final Map<String, OperationKind> kinds;

  public OperationService(
      OperationLog operations,
      WorkflowClient workflows,
      ShardStore store,
      List<OperationKind> kinds) {
    this.operations = operations;
    this.workflows = workflows;
    this.store = store;
    this.kinds = kinds.stream().collect(Collectors.toMap(OperationKind::kind, Function.identity()));
  }

  public Operation get(long id) {
    return operations
        .find(id)
        .orElseThrow(() -> Refusal.notFound("Operation " + id + " not found"));
  }

  public List<Operation> recent(int limit) {
    return operations.recent(limit);
  }

  /**
   * Asks the operation's workflow to stop at its next step boundary; the row turns {@code
   * cancelled} when it has. A workflow that is already gone is recorded as interrupted.
   */
  public Operation cancel(long id) {
    Operation operation = get(id);
    if (!operation.running()) {
      throw Refusal.conflict("Operation " + id + " is not running: it " + operation.state());
    }
    OperationKind kind = kinds.get(operation.kind());
    if (kind == null || !kind.cancellable()) {
      throw Refusal.conflict("Operation " + id + " (" + operation.kind() + ") cannot be cancelled");
    }
    try {
      workflows.newUntypedWorkflowStub(operation.workflowId()).signal(CancelSignal.NAME);
      log.info("operation {} ({} {}): cancel requested", id, operation.kind(), operation.target());
    } catch (WorkflowNotFoundException gone) {
      interrupted(operation);
    }
    return get(id);
  }

  /** Runs a failed or cancelled operation again; returns the new operation. */
  public Operation retry(long id) {
    Operation operation = get(id);
    if (operation.running()) {
      throw Refusal.conflict("Operation " + id + " is still running");
    }
    if (Operation.SUCCEEDED.equals(operation.state())) {
      throw Refusal.conflict("Operation " + id + " succeeded; there is nothing to retry");
    }
    OperationKind kind = kinds.get(operation.kind());
    if (kind == null) {
      throw Refusal.conflict("Operation " + id + " (" + operation.kind() + ") cannot be retried");
    }
    Operation retried = kind.retry(operation);
    log.info("operation {} retried as operation {}", id, retried.id());
    return retried;
  }

  /**
   * Marks a running operation whose workflow is gone as failed (which releases what it held) and
   * repairs its target.
   */
  void interrupted(Operation operation) {
    log.warn(
        "operation {} ({} {}) lost its workflow {}; marking it failed",
        operation.id(),
        operation.kind(),
        operation.target(),
        operation.workflowId());
    repairTarget(operation);
    operations.finish(
        operation.id(),
        Operation.FAILED,
        "interrupted: its workflow "
            + operation.workflowId()
            + " no longer runs (controller restarted?); retry with POST"
            + " /control/v1/operations/"
            + operation.id()
            + "/retry");
  }

  /**
   * An operation that is over still holds shards (its release did not happen): its kind repairs the
   * target (a split is rolled back or resumed), then whatever is left is released.
   */
  void releaseOrphaned(long operationId) {
    Optional<Operation> operation = operations.find(operationId);
    log.warn(
        "operation {} ({}) is over but still holds shards: repairing and releasing them",
        operationId,
        operation.map(Operation::kind).orElse("unknown"));
    operation.ifPresent(this::repairTarget);
    store.releaseHeldBy(operationId);
  }

  private void repairTarget(Operation operation) {
    OperationKind kind = kinds.get(operation.kind());
    if (kind != null) {
      kind.interrupted(operation);
    }
  }
}
