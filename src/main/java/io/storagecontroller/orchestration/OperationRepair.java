package io.storagecontroller.orchestration;

import io.storagecontroller.operation.Operation;
import io.storagecontroller.operation.OperationLog;
import io.storagecontroller.shard.ShardStore;
import io.temporal.api.enums.v1.WorkflowExecutionStatus;
import io.temporal.client.WorkflowClient;
import io.temporal.client.WorkflowNotFoundException;
import java.time.Duration;
import java.time.OffsetDateTime;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.boot.context.event.ApplicationReadyEvent;
import org.springframework.context.event.EventListener;
import org.springframework.core.Ordered;
import org.springframework.core.annotation.Order;
import org.springframework.stereotype.Component;

/**
 * Level-triggered repair of long operations, at start and then at each pass of the control loop,
 * whatever event was missed: an operation row still {@code running} whose workflow no longer runs
 * (the embedded Temporal service forgets workflows with the process; an operator terminated one) is
 * closed as failed and its target repaired, so a node is never left Draining with nothing draining
 * it; and shards still held by an operation that is over are released (a split's are rolled back).
 */
@Component
public class OperationRepair {
  private static final Logger log = LoggerFactory.getLogger(OperationRepair.class);

  /**
   * A row is written just before its workflow starts: one younger than this may simply not have its
   * workflow yet.
   */
  static final Duration START_GRACE = Duration.ofMinutes(1);

  private final OperationLog operations;
  private final WorkflowClient workflows;
  private final OperationService service;
  private final ShardStore store;
  private final StrandedSteps stranded;

  public OperationRepair(
      OperationLog operations,
      WorkflowClient workflows,
      OperationService service,
      ShardStore store,
      StrandedSteps stranded) {
    this.operations = operations;
    this.workflows = workflows;
    this.service = service;
    this.store = store;
    this.stranded = stranded;
  }

  /**
   * After the start-up sequence loaded nodes and shards (it runs first): every row left running by
   * the previous process (or leader) whose workflow is gone is closed; a workflow that runs on (a
   * Temporal service outside this process) has the steps the previous process was running failed,
   * so that they are retried here now rather than at their heartbeat timeout.
   */
  @EventListener(ApplicationReadyEvent.class)
  @Order(Ordered.LOWEST_PRECEDENCE)
  public void repairAtStart() {
    List<Operation> running = operations.running();
    for (Operation operation : running) {
      if (!workflowRuns(operation.workflowId())) {
        service.interrupted(operation);
      } else {
        stranded.failAbandoned(operation.workflowId());
      }
    }
    if (!running.isEmpty()) {
      log.info("checked {} operations left running by the previous process", running.size());
    }
  }

  /** One pass; returns how many operations or holds it repaired. */
  public int repair() {
    int repaired = 0;
    OffsetDateTime settled = OffsetDateTime.now().minus(START_GRACE);
    for (Operation operation : operations.running()) {
      if (operation.startedAt() != null
          && operation.startedAt().isBefore(settled)
          && !workflowRuns(operation.workflowId())) {
        service.interrupted(operation);
        repaired++;
      }
    }
    for (long holder : store.finishedHolders()) {
      service.releaseOrphaned(holder);
      repaired++;
    }
    if (repaired > 0) {
      log.warn("operation repair: {} operations or holds repaired", repaired);
    }
    return repaired;
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
