package io.storagecontroller.orchestration;

import io.grpc.StatusRuntimeException;
import io.storagecontroller.temporal.WorkerIdentity;
import io.temporal.api.common.v1.WorkflowExecution;
import io.temporal.api.enums.v1.PendingActivityState;
import io.temporal.api.workflow.v1.PendingActivityInfo;
import io.temporal.api.workflow.v1.PendingChildExecutionInfo;
import io.temporal.api.workflowservice.v1.DescribeWorkflowExecutionRequest;
import io.temporal.api.workflowservice.v1.DescribeWorkflowExecutionResponse;
import io.temporal.client.ActivityCompletionClient;
import io.temporal.client.ActivityCompletionException;
import io.temporal.client.WorkflowClient;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.stereotype.Component;

/**
 * Steps (activity attempts) that a controller no longer polling had started when it died or was
 * deposed. Temporal would notice only at their heartbeat timeout; failing each such attempt by id
 * at start-up has the workflow retry it here at once, by its own retry policy, as a timeout would.
 * Safe as a timeout is: the abandoned attempt's late answer is refused (an older attempt), and what
 * it still commits is refused by the new leader's term.
 */
@Component
public class StrandedSteps {
  private static final Logger log = LoggerFactory.getLogger(StrandedSteps.class);

  /** Operations' child workflows (a drain's migrations) are walked this deep at most. */
  private static final int MAX_DEPTH = 3;

  /** The failure the workflow sees, as the type of its {@code ApplicationFailure}. */
  public static final class StepAbandoned extends Exception {
    StepAbandoned(String identity) {
      super("the controller running this step (" + identity + ") no longer runs; retried");
    }
  }

  private final WorkflowClient workflows;
  private final String identity;
  private final ActivityCompletionClient completions;

  @Autowired
  public StrandedSteps(WorkflowClient workflows, WorkerIdentity identity) {
    this(workflows, identity.value());
  }

  /** With the identity this process's workers poll under. */
  StrandedSteps(WorkflowClient workflows, String identity) {
    this.workflows = workflows;
    this.identity = identity;
    this.completions = workflows.newActivityCompletionClient();
  }

  /**
   * Fails the running workflow's started steps (and its children's) that another identity holds;
   * returns how many. A workflow that cannot be described is left to the heartbeat timeout.
   */
  public int failAbandoned(String workflowId) {
    return failAbandoned(WorkflowExecution.newBuilder().setWorkflowId(workflowId).build(), 0);
  }

  private int failAbandoned(WorkflowExecution execution, int depth) {
    DescribeWorkflowExecutionResponse described;
    try {
      described =
          workflows
              .getWorkflowServiceStubs()
              .blockingStub()
              .describeWorkflowExecution(
                  DescribeWorkflowExecutionRequest.newBuilder()
                      .setNamespace(workflows.getOptions().getNamespace())
                      .setExecution(execution)
                      .build());
    } catch (StatusRuntimeException e) {
      log.debug("workflow {} not described: {}", execution.getWorkflowId(), e.getStatus());
      return 0;
    }
    String runId = described.getWorkflowExecutionInfo().getExecution().getRunId();
    int failed = 0;
    for (PendingActivityInfo step : described.getPendingActivitiesList()) {
      if (abandoned(step)) {
        failed += fail(execution.getWorkflowId(), runId, step);
      }
    }
    if (depth < MAX_DEPTH) {
      for (PendingChildExecutionInfo child : described.getPendingChildrenList()) {
        failed +=
            failAbandoned(
                WorkflowExecution.newBuilder()
                    .setWorkflowId(child.getWorkflowId())
                    .setRunId(child.getRunId())
                    .build(),
                depth + 1);
      }
    }
    return failed;
  }

  private boolean abandoned(PendingActivityInfo step) {
    return step.getState() == PendingActivityState.PENDING_ACTIVITY_STATE_STARTED
        && !step.getLastWorkerIdentity().isEmpty()
        && !step.getLastWorkerIdentity().equals(identity);
  }

  private int fail(String workflowId, String runId, PendingActivityInfo step) {
    try {
      completions.completeExceptionally(
          workflowId,
          Optional.of(runId),
          step.getActivityId(),
          new StepAbandoned(step.getLastWorkerIdentity()));
      log.warn(
          "workflow {}: step {} (attempt {}) was started by {}, which no longer runs; failed it so"
              + " that it is retried now",
          workflowId,
          step.getActivityType().getName(),
          step.getAttempt(),
          step.getLastWorkerIdentity());
      return 1;
    } catch (ActivityCompletionException | StatusRuntimeException raced) {
      // It ended meanwhile (its timeout fired, or it completed): nothing to do.
      log.debug("workflow {}: step {} already over: {}", workflowId, step.getActivityId(), raced);
      return 0;
    }
  }
}
