package io.storagecontroller.orchestration;

import static org.assertj.core.api.Assertions.assertThat;
import static org.mockito.Mockito.mock;

import io.storagecontroller.activities.TaskQueues;
import io.storagecontroller.model.NodeId;
import io.storagecontroller.model.TenantId;
import io.storagecontroller.temporal.WorkflowSearchAttributes;
import io.storagecontroller.workflows.node.NodeEvacuationWorkflow;
import io.temporal.client.WorkflowClient;
import io.temporal.client.WorkflowOptions;
import io.temporal.client.WorkflowStub;
import io.temporal.common.SearchAttributes;
import io.temporal.testing.TestWorkflowEnvironment;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * Evacuations start ahead of everything else; other workflows at Temporal's default priority; every
 * workflow carries what it acts on as search attributes once the namespace knows them, and none
 * where they could not be registered (so starting never fails for want of them).
 */
class WorkflowStubsTest {

  @Test
  void anUrgentStubStartsAtPriorityOneAndAnOrdinaryOneAtTheDefault() {
    try (TestWorkflowEnvironment env = TestWorkflowEnvironment.newInstance()) {
      WorkflowStubs stubs = WorkflowStubs.untagged(env.getWorkflowClient());
      WorkflowOptions urgent =
          options(
              stubs.urgent(
                  NodeEvacuationWorkflow.class, "node/1/evacuate", WorkflowTags.of("evacuate")));
      WorkflowOptions ordinary =
          options(
              stubs.of(
                  NodeEvacuationWorkflow.class, "node/2/evacuate", WorkflowTags.of("evacuate")));
      assertThat(urgent.getPriority().getPriorityKey()).isEqualTo(1);
      assertThat(urgent.getTaskQueue()).isEqualTo(TaskQueues.CONTROLLER);
      assertThat(ordinary.getPriority()).isNull();
      assertThat(ordinary.getWorkflowId()).isEqualTo("node/2/evacuate");
      assertThat(ordinary.getTypedSearchAttributes()).isNull();
    }
  }

  @Test
  void whereTheNamespaceDoesNotKnowThemWorkflowsStartWithoutThem() {
    WorkflowOptions options =
        new WorkflowStubs(mock(WorkflowClient.class), false)
            .options("untagged", WorkflowTags.of("drain").nodes(new NodeId(3)))
            .build();
    assertThat(options.getTypedSearchAttributes()).isNull();
  }

  @Test
  void aStartedWorkflowCarriesItsTenantNodesKindAndOperation() {
    try (TestWorkflowEnvironment env = TestWorkflowEnvironment.newInstance()) {
      WorkflowClient client = env.getWorkflowClient();
      WorkflowSearchAttributes attributes = new WorkflowSearchAttributes(client);
      assertThat(attributes.registered()).isTrue();
      // A second controller (or a restart) registers again: nothing changes, nothing fails.
      assertThat(new WorkflowSearchAttributes(client).registered()).isTrue();
      TenantId tenant = TenantId.generate();
      NodeEvacuationWorkflow workflow =
          new WorkflowStubs(client, attributes)
              .of(
                  NodeEvacuationWorkflow.class,
                  "tagged",
                  WorkflowTags.of("migrate")
                      .tenant(tenant)
                      .nodes(new NodeId(7), new NodeId(9))
                      .operation(42));
      WorkflowClient.start(workflow::evacuate, new NodeId(7));

      SearchAttributes found =
          client.newUntypedWorkflowStub("tagged").describe().getTypedSearchAttributes();
      assertThat(found.get(WorkflowSearchAttributes.TENANT_ID)).isEqualTo(tenant.toString());
      assertThat(found.get(WorkflowSearchAttributes.NODE_ID)).containsExactly("7", "9");
      assertThat(found.get(WorkflowSearchAttributes.OPERATION_KIND)).isEqualTo("migrate");
      assertThat(found.get(WorkflowSearchAttributes.OPERATION_ID)).isEqualTo(42L);
    }
  }

  @Test
  void theRegistrationCommandNamesEveryAttributeWithItsType() {
    assertThat(WorkflowSearchAttributes.command("default"))
        .isEqualTo(
            "temporal operator search-attribute create --namespace default"
                + " --name TenantId --type Keyword --name NodeId --type KeywordList"
                + " --name OperationKind --type Keyword --name OperationId --type Int");
    assertThat(List.copyOf(WorkflowSearchAttributes.ALL.keySet()))
        .containsExactly("TenantId", "NodeId", "OperationKind", "OperationId");
  }

  private static WorkflowOptions options(Object stub) {
    return WorkflowStub.fromTyped(stub).getOptions().orElseThrow();
  }
}
