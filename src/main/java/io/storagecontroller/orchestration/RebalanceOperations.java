package io.storagecontroller.orchestration;

import io.storagecontroller.drain.Rebalancing;
import io.storagecontroller.model.NodeId;
import io.storagecontroller.operation.Operation;
import io.storagecontroller.workflows.node.NodeRebalanceWorkflow;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/** The {@code drain} and {@code fill} operation kinds: retry starts the same operation again. */
@Configuration
public class RebalanceOperations {
  @Bean
  OperationKind drainOperation(NodeRebalances rebalances, Rebalancing rebalancing) {
    return new Kind(NodeRebalanceWorkflow.DRAIN, rebalances, rebalancing);
  }

  @Bean
  OperationKind fillOperation(NodeRebalances rebalances, Rebalancing rebalancing) {
    return new Kind(NodeRebalanceWorkflow.FILL, rebalances, rebalancing);
  }

  private record Kind(String kind, NodeRebalances rebalances, Rebalancing rebalancing)
      implements OperationKind {
    @Override
    public Operation retry(Operation previous) {
      return rebalances.start(kind, node(previous));
    }

    /** Its workflow is gone: the node must not stay Draining or Filling with nothing doing it. */
    @Override
    public void interrupted(Operation operation) {
      rebalancing.finish(kind, node(operation), 0, Operation.FAILED, null);
    }

    private static NodeId node(Operation operation) {
      return new NodeId(Long.parseLong(operation.target().substring("node/".length())));
    }
  }
}
