package io.storagecontroller.orchestration;

import io.storagecontroller.config.ControllerProperties;
import io.storagecontroller.model.Refusal;
import io.storagecontroller.operation.Operation;
import io.storagecontroller.optimiser.Optimiser;
import io.storagecontroller.workflows.optimiser.OptimiserRequest;
import io.storagecontroller.workflows.optimiser.OptimiserWorkflow;
import io.temporal.api.enums.v1.WorkflowExecutionStatus;
import io.temporal.client.WorkflowClient;
import io.temporal.client.WorkflowExecutionAlreadyStarted;
import io.temporal.client.WorkflowNotFoundException;
import io.temporal.client.WorkflowStub;
import java.time.Duration;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.stereotype.Component;

/**
 * Keeps the optimiser workflow running (level-triggered: each control-loop pass starts it if it is
 * gone, whatever ended it), wakes it when an operator resumes it, and is the {@code optimise} kind
 * of the operations API: a pass can be cancelled (its migrations stop, later passes still run) but
 * not retried, since the optimiser plans its next pass by itself.
 */
@Component
public class BackgroundOptimiser implements OperationKind {
  private static final Logger log = LoggerFactory.getLogger(BackgroundOptimiser.class);

  /** Migrations per pass: one window of the workflow's. */
  static final int LIMIT = 64;

  private final WorkflowStubs stubs;
  private final WorkflowClient client;
  private final Optimiser optimiser;
  private final Duration interval;

  public BackgroundOptimiser(
      WorkflowStubs stubs, Optimiser optimiser, ControllerProperties properties) {
    this.stubs = stubs;
    this.client = stubs.client();
    this.optimiser = optimiser;
    this.interval = properties.optimiserInterval();
  }

  /** Whether {@code --optimiser-interval} turned it on (0s turns it off). */
  public boolean enabled() {
    return !interval.isZero();
  }

  public Duration interval() {
    return interval;
  }

  /** Starts the workflow unless it runs; returns whether it had to. */
  public boolean ensureRunning() {
    if (!enabled() || running()) {
      return false;
    }
    OptimiserWorkflow workflow =
        stubs.of(OptimiserWorkflow.class, OptimiserWorkflow.ID, WorkflowTags.of(Optimiser.KIND));
    try {
      WorkflowClient.start(workflow::run, new OptimiserRequest(interval, LIMIT));
      log.info("optimiser started: a pass every {} while nothing moves", interval);
      return true;
    } catch (WorkflowExecutionAlreadyStarted raced) {
      return false;
    }
  }

  /** Pauses or resumes the optimiser; a resumed one runs a pass at once (started if need be). */
  public void setPaused(boolean paused) {
    optimiser.setPaused(paused);
    if (!paused && enabled() && !ensureRunning()) {
      try {
        client.newUntypedWorkflowStub(OptimiserWorkflow.ID).signal("wake");
      } catch (WorkflowNotFoundException notYet) {
        // The control loop starts it; its first pass reads the setting.
      }
    }
  }

  private boolean running() {
    try {
      WorkflowStub stub = client.newUntypedWorkflowStub(OptimiserWorkflow.ID);
      return stub.describe().getStatus()
          == WorkflowExecutionStatus.WORKFLOW_EXECUTION_STATUS_RUNNING;
    } catch (WorkflowNotFoundException gone) {
      return false;
    }
  }

  @Override
  public String kind() {
    return Optimiser.KIND;
  }

  @Override
  public Operation retry(Operation previous) {
    throw Refusal.badRequest(
        "Operation "
            + previous.id()
            + " is an optimiser pass: passes are not retried, the optimiser plans the next one"
            + " by itself");
  }
}
