package io.storagecontroller.temporal;

import static org.assertj.core.api.Assertions.assertThat;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.storagecontroller.failpoint.Failpoints;
import io.storagecontroller.model.TenantId;
import io.storagecontroller.orchestration.OperationRepair;
import io.storagecontroller.testing.ApiClient.Response;
import io.storagecontroller.testing.ControllerProcess;
import io.storagecontroller.testing.FleetTest;
import io.storagecontroller.testing.ManualClock;
import io.temporal.api.enums.v1.WorkflowExecutionStatus;
import io.temporal.api.workflowservice.v1.ListClosedWorkflowExecutionsRequest;
import io.temporal.client.WorkflowClient;
import io.temporal.internal.testservice.ClosedExecutionRetention;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.beans.factory.annotation.Autowired;
import tools.jackson.databind.JsonNode;

/**
 * On the controller's in-process service, retention forgets the workflows that finished (the
 * create's reconciles) and leaves alone a split that is still running: its workflow still runs and
 * finishes, the operations table is not changed, and operation repair does not take the split for
 * one whose workflow is gone.
 */
class FinishedWorkflowRetentionTest extends FleetTest {
  private static final Duration RETENTION = Duration.ofMinutes(1);

  @Autowired ObjectProvider<EmbeddedTemporal> embedded;
  @Autowired WorkflowClient workflows;
  @Autowired OperationRepair repair;
  @Autowired Failpoints failpoints;

  @AfterEach
  void failpointOff() {
    failpoint("off");
  }

  private void failpoint(String actions) {
    Response set =
        api.put(
            "/debug/v1/failpoints",
            "[{\"name\":\"shard-split-post-begin\",\"actions\":\"%s\"}]".formatted(actions));
    assertThat(set.status()).as(set.body()).isEqualTo(200);
  }

  private long closedWorkflows() {
    return workflows
        .getWorkflowServiceStubs()
        .blockingStub()
        .listClosedWorkflowExecutions(
            ListClosedWorkflowExecutionsRequest.newBuilder()
                .setNamespace(workflows.getOptions().getNamespace())
                .setMaximumPageSize(100_000)
                .build())
        .getExecutionsCount();
  }

  private JsonNode split(TenantId tenant) {
    for (JsonNode op : api.get("/control/v1/operations?limit=1000").json()) {
      if (op.get("kind").asString().equals("split")
          && op.get("target").asString().equals(tenant.toString())) {
        return op;
      }
    }
    return null;
  }

  private List<Map<String, Object>> operationRows() {
    return jdbc.sql("SELECT * FROM operations ORDER BY id").query().listOfRows();
  }

  @Test
  void finishedWorkflowsAreForgottenWhileARunningSplitAndTheOperationsTableAreNot() {
    TenantId tenant = TenantId.generate();
    assertThat(create(tenant, 1, 0).status()).isEqualTo(201);
    failpoint("pause");
    long pausedBefore = failpoints.hits("shard-split-post-begin");
    CompletableFuture<Response> answer =
        CompletableFuture.supplyAsync(
            () ->
                api.put(
                    "/control/v1/tenant/" + tenant + "/shard_split", "{\"new_shard_count\":2}"));
    // Paused at the failpoint: its operations row does not change again until it is released.
    ControllerProcess.await(
        DEADLINE,
        () -> failpoints.hits("shard-split-post-begin") > pausedBefore,
        "the split paused after its begin step");
    String splitWorkflow = split(tenant).get("workflow_id").asString();
    assertThat(closedWorkflows()).isPositive();
    List<Map<String, Object>> before = operationRows();

    ManualClock clock = new ManualClock(Instant.now());
    FinishedWorkflowRetention retention =
        new FinishedWorkflowRetention(embedded, RETENTION, new SimpleMeterRegistry(), clock);
    ClosedExecutionRetention.Pass first = retention.pass();
    assertThat(first.running()).isPositive();
    assertThat(first.forgotten()).isZero();
    clock.advance(RETENTION.plusSeconds(1));
    ClosedExecutionRetention.Pass second = retention.pass();

    assertThat(second.forgotten()).isGreaterThanOrEqualTo(first.closed());
    assertThat(closedWorkflows()).isEqualTo(second.closed());
    assertThat(workflows.newUntypedWorkflowStub(splitWorkflow).describe().getStatus())
        .isEqualTo(WorkflowExecutionStatus.WORKFLOW_EXECUTION_STATUS_RUNNING);
    repair.repair();
    assertThat(operationRows()).isEqualTo(before);

    failpoint("off");
    assertThat(answer.join().status()).isEqualTo(200);
    assertThat(split(tenant).get("state").asString()).isEqualTo("succeeded");
    api.delete("/v1/tenant/" + tenant);
  }
}
