package io.storagecontroller.operation;

import io.storagecontroller.http.ApiError;
import io.storagecontroller.persistence.SerializableTransactions;
import io.storagecontroller.workflows.CancelSignal;
import io.temporal.client.WorkflowClient;
import io.temporal.client.WorkflowNotFoundException;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import java.util.stream.Collectors;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.stereotype.Service;

/** Cancel and retry of long operations, answered from the operations table. */
@Service
public class OperationService {
  private static final Logger log = LoggerFactory.getLogger(OperationService.class);

  private final OperationPersistence operations;
  private final SerializableTransactions transactions;
  private final WorkflowClient workflows;
  private final Map<String, OperationKind> kinds;

  public OperationService(
      OperationPersistence operations,
      SerializableTransactions transactions,
      WorkflowClient workflows,
      List<OperationKind> kinds) {
    this.operations = operations;
    this.transactions = transactions;
    this.workflows = workflows;
    this.kinds = kinds.stream().collect(Collectors.toMap(OperationKind::kind, Function.identity()));
  }

  public Operation get(long id) {
    return transactions
        .execute("get_operation", () -> operations.find(id))
        .orElseThrow(() -> ApiError.notFound("Operation " + id + " not found"));
  }

  /**
   * Asks the operation's workflow to stop at its next step boundary; the row turns {@code
   * cancelled} when it has. A workflow that is already gone is recorded as interrupted.
   */
  public Operation cancel(long id) {
    Operation operation = get(id);
    if (!operation.running()) {
      throw ApiError.conflict("Operation " + id + " is not running: it " + operation.state());
    }
    OperationKind kind = kinds.get(operation.kind());
    if (kind == null || !kind.cancellable()) {
      throw ApiError.conflict(
          "Operation " + id + " (" + operation.kind() + ") cannot be cancelled");
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
      throw ApiError.conflict("Operation " + id + " is still running");
    }
    if (Operation.SUCCEEDED.equals(operation.state())) {
      throw ApiError.conflict("Operation " + id + " succeeded; there is nothing to retry");
    }
    OperationKind kind = kinds.get(operation.kind());
    if (kind == null) {
      throw ApiError.conflict("Operation " + id + " (" + operation.kind() + ") cannot be retried");
    }
    Operation retried = kind.retry(operation);
    log.info("operation {} retried as operation {}", id, retried.id());
    return retried;
  }

  /** Marks a running operation whose workflow is gone as failed and repairs its target. */
  void interrupted(Operation operation) {
    log.warn(
        "operation {} ({} {}) lost its workflow {}; marking it failed",
        operation.id(),
        operation.kind(),
        operation.target(),
        operation.workflowId());
    OperationKind kind = kinds.get(operation.kind());
    if (kind != null) {
      kind.interrupted(operation);
    }
    transactions.run(
        "update_operation",
        () ->
            operations.finish(
                operation.id(),
                Operation.FAILED,
                "interrupted: its workflow "
                    + operation.workflowId()
                    + " no longer runs (controller restarted?); retry with POST"
                    + " /control/v1/operations/"
                    + operation.id()
                    + "/retry"));
  }
}
