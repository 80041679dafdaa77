package io.storagecontroller.operation;

import io.storagecontroller.persistence.SerializableTransactions;
import io.temporal.api.enums.v1.WorkflowExecutionStatus;
import io.temporal.client.WorkflowClient;
import io.temporal.client.WorkflowNotFoundException;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.boot.context.event.ApplicationReadyEvent;
import org.springframework.context.event.EventListener;
import org.springframework.core.Ordered;
import org.springframework.core.annotation.Order;
import org.springframework.stereotype.Component;

/**
 * At start: an operation row still {@code running} whose workflow no longer runs (the embedded
 * Temporal service loses workflows with the process) is closed as failed and its target repaired,
 * so a node is never left Draining with nothing draining it.
 */
@Component
public class InterruptedOperations {
  private static final Logger log = LoggerFactory.getLogger(InterruptedOperations.class);

  private final OperationPersistence operations;
  private final SerializableTransactions transactions;
  private final WorkflowClient workflows;
  private final OperationService service;

  public InterruptedOperations(
      OperationPersistence operations,
      SerializableTransactions transactions,
      WorkflowClient workflows,
      OperationService service) {
    this.operations = operations;
    this.transactions = transactions;
    this.workflows = workflows;
    this.service = service;
  }

  /** After the start-up sequence loaded nodes and shards (it runs first). */
  @EventListener(ApplicationReadyEvent.class)
  @Order(Ordered.LOWEST_PRECEDENCE)
  public void repair() {
    List<Operation> running = transactions.execute("list_operations", operations::running);
    for (Operation operation : running) {
      if (!workflowRuns(operation.workflowId())) {
        service.interrupted(operation);
      }
    }
    if (!running.isEmpty()) {
      log.info("checked {} operations left running by the previous process", running.size());
    }
  }

  private boolean workflowRuns(String workflowId) {
    try {
      return workflows.newUntypedWorkflowStub(workflowId).describe().getStatus()
          == WorkflowExecutionStatus.WORKFLOW_EXECUTION_STATUS_RUNNING;
    } catch (WorkflowNotFoundException gone) {
      return false;
    }
  }
}
