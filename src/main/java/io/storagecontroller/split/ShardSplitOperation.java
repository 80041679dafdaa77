package io.storagecontroller.split;

import io.storagecontroller.model.NodeId;
import io.storagecontroller.model.ShardCount;
import io.storagecontroller.model.TenantId;
import io.storagecontroller.operation.Operation;
import io.storagecontroller.operation.OperationKind;
import io.storagecontroller.operation.OperationPersistence;
import io.storagecontroller.persistence.SerializableTransactions;
import io.storagecontroller.reconcile.ReconcileTrigger;
import io.storagecontroller.tenant.ServiceState;
import io.storagecontroller.tenant.TenantShardRow;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.stereotype.Component;

/**
 * Splits in the operations API: retry runs the same split again; a split whose workflow was lost
 * with the process (the embedded Temporal service forgets workflows) is rolled back if it had not
 * committed, and finished (children placed, computes told) if it had. The database says which: the
 * commit is one transaction, so the tenant has either its parents or its children.
 */
@Component
public class ShardSplitOperation implements OperationKind {
  private static final Logger log = LoggerFactory.getLogger(ShardSplitOperation.class);

  private final ShardSplitService service;
  private final ShardSplits splits;
  private final ShardSplitPersistence persistence;
  private final SplitLocations locations;
  private final ReconcileTrigger reconciles;
  private final ServiceState state;
  private final OperationPersistence operations;
  private final SerializableTransactions transactions;

  public ShardSplitOperation(
      ShardSplitService service,
      ShardSplits splits,
      ShardSplitPersistence persistence,
      SplitLocations locations,
      ReconcileTrigger reconciles,
      ServiceState state,
      OperationPersistence operations,
      SerializableTransactions transactions) {
    this.service = service;
    this.splits = splits;
    this.persistence = persistence;
    this.locations = locations;
    this.reconciles = reconciles;
    this.state = state;
    this.operations = operations;
    this.transactions = transactions;
  }

  @Override
  public String kind() {
    return ShardSplitService.KIND;
  }

  @Override
  public Operation retry(Operation previous) {
    return service.start(
        TenantId.parse(previous.target()), SplitParameters.parse(previous.parameters()));
  }

  @Override
  public void interrupted(Operation operation) {
    try {
      repair(operation);
    } catch (RuntimeException e) {
      // Start-up goes on: the operation is marked failed and the operator can retry it.
      log.error("split operation {} could not be repaired", operation.id(), e);
    }
  }

  private void repair(Operation operation) {
    TenantId tenant = TenantId.parse(operation.target());
    SplitParameters parameters = SplitParameters.parse(operation.parameters());
    ShardCount newCount = ShardCount.of(parameters.newShardCount());
    List<TenantShardRow> before =
        transactions.execute("load_tenant", () -> persistence.load(tenant));
    SplitAbortOutcome outcome = splits.abort(tenant, newCount, List.of());
    switch (outcome) {
      case ROLLED_BACK -> {
        transactions.run("update_operation", () -> operations.phase(operation.id(), "rolled_back"));
        removeChildren(before, newCount);
        if (state.hasTenant(tenant)) {
          reconciles.request(tenant);
        }
        log.warn(
            "tenant {}: split (operation {}) lost its workflow before the commit: rolled back",
            tenant,
            operation.id());
      }
      case COMMITTED -> {
        // Closed first: the resumed steps run as a new operation of the same tenant.
        transactions.run(
            "update_operation",
            () -> {
              operations.phase(operation.id(), "committed");
              operations.finish(
                  operation.id(),
                  Operation.SUCCEEDED,
                  "committed before the controller restarted; its last steps were resumed as a"
                      + " new split operation");
            });
        Operation resumed = service.resume(tenant, parameters, "committed");
        log.warn(
            "tenant {}: split (operation {}) lost its workflow after the commit: resumed as"
                + " operation {}",
            tenant,
            operation.id(),
            resumed.id());
      }
      case NOT_SPLITTING -> log.info("tenant {}: no split left to repair", tenant);
    }
  }

  /**
   * Best effort: at start-up the nodes may not be loaded yet, and the start-up scan detaches any
   * child left behind anyway (nothing knows it).
   */
  private void removeChildren(List<TenantShardRow> parents, ShardCount newCount) {
    for (TenantShardRow parent : parents) {
      NodeId node =
          parent.intendedAttached() != null
              ? parent.intendedAttached()
              : parent.generationPageserver();
      if (node == null || !parent.id().shardCount().equals(parents.get(0).id().shardCount())) {
        continue;
      }
      try {
        locations.detach(node, SplitChildren.of(parent.id(), newCount));
      } catch (RuntimeException e) {
        log.warn(
            "{}: children not detached from node {} ({}); start-up's clean-up removes them",
            parent.id(),
            node,
            e.getMessage());
      }
    }
  }
}
