package io.storagecontroller.orchestration;

import io.storagecontroller.model.NodeId;
import io.storagecontroller.model.TenantId;
import java.util.List;

/**
 * What a workflow acts on, for operators to find it by: its kind (as the operations API names it),
 * the tenant, the nodes and the operation's id, each where there is one.
 */
public record WorkflowTags(String kind, TenantId tenant, List<NodeId> nodes, Long operation) {
  public WorkflowTags {
    nodes = List.copyOf(nodes);
  }

  public static WorkflowTags of(String kind) {
    return new WorkflowTags(kind, null, List.of(), null);
  }

  public WorkflowTags tenant(TenantId tenant) {
    return new WorkflowTags(kind, tenant, nodes, operation);
  }

  public WorkflowTags nodes(NodeId... nodes) {
    return new WorkflowTags(kind, tenant, List.of(nodes), operation);
  }

  public WorkflowTags operation(long operation) {
    return new WorkflowTags(kind, tenant, nodes, operation);
  }
}
