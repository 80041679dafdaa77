package io.storagecontroller.orchestration;

import io.storagecontroller.activities.TaskQueues;
import io.storagecontroller.model.NodeId;
import io.storagecontroller.temporal.WorkflowSearchAttributes;
import io.temporal.api.enums.v1.WorkflowIdReusePolicy;
import io.temporal.client.WorkflowClient;
import io.temporal.client.WorkflowOptions;
import io.temporal.common.Priority;
import io.temporal.common.SearchAttributes;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.stereotype.Component;

/**
 * Stubs to start the controller's workflows: on its task queue, under a stable id that a finished
 * run may be followed by another of (never two runs of one id at once), tagged with the tenant,
 * nodes and operation they act on ({@link WorkflowSearchAttributes}) when the namespace knows them.
 */
@Component
public class WorkflowStubs {
  /**
   * Temporal's priority keys run from 1 (first) to 5; unset is 3. A node failure's evacuation takes
   * 1, as Neon's priority reconcilers do: after a failure hundreds of reconciles queue up and the
   * evacuation, which gets the dead node's shards attached again, must not wait behind them.
   */
  private static final Priority URGENT = Priority.newBuilder().setPriorityKey(1).build();

  private final WorkflowClient client;
  private final boolean tagged;

  @Autowired
  public WorkflowStubs(WorkflowClient client, WorkflowSearchAttributes attributes) {
    this(client, attributes.registered());
  }

  WorkflowStubs(WorkflowClient client, boolean tagged) {
    this.client = client;
    this.tagged = tagged;
  }

  /** Stubs that never tag (for tests of the callers with a mocked client). */
  public static WorkflowStubs untagged(WorkflowClient client) {
    return new WorkflowStubs(client, false);
  }

  /** The client, for what is not a start: signals, queries, cancels. */
  public WorkflowClient client() {
    return client;
  }

  public <T> T of(Class<T> workflow, String workflowId, WorkflowTags tags) {
    return client.newWorkflowStub(workflow, options(workflowId, tags).build());
  }

  /** As {@link #of}, with its workflow and activity tasks served before every other. */
  public <T> T urgent(Class<T> workflow, String workflowId, WorkflowTags tags) {
    return client.newWorkflowStub(workflow, options(workflowId, tags).setPriority(URGENT).build());
  }

  WorkflowOptions.Builder options(String workflowId, WorkflowTags tags) {
    WorkflowOptions.Builder options =
        WorkflowOptions.newBuilder()
            .setTaskQueue(TaskQueues.CONTROLLER)
            .setWorkflowId(workflowId)
            .setWorkflowIdReusePolicy(
                WorkflowIdReusePolicy.WORKFLOW_ID_REUSE_POLICY_ALLOW_DUPLICATE);
    if (tagged) {
      options.setTypedSearchAttributes(searchAttributes(tags));
    }
    return options;
  }

  private static SearchAttributes searchAttributes(WorkflowTags tags) {
    SearchAttributes.Builder attributes =
        SearchAttributes.newBuilder().set(WorkflowSearchAttributes.OPERATION_KIND, tags.kind());
    if (tags.tenant() != null) {
      attributes.set(WorkflowSearchAttributes.TENANT_ID, tags.tenant().toString());
    }
    if (!tags.nodes().isEmpty()) {
      attributes.set(
          WorkflowSearchAttributes.NODE_ID,
          tags.nodes().stream().map(NodeId::value).distinct().map(String::valueOf).toList());
    }
    if (tags.operation() != null) {
      attributes.set(WorkflowSearchAttributes.OPERATION_ID, tags.operation());
    }
    return attributes.build();
  }
}
