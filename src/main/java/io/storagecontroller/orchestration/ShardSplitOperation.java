package io.storagecontroller.orchestration;

import io.storagecontroller.model.NodeId;
import io.storagecontroller.model.ShardCount;
import io.storagecontroller.model.TenantId;
import io.storagecontroller.operation.Operation;
import io.storagecontroller.operation.OperationLog;
import io.storagecontroller.reconcile.ReconcileRequests;
import io.storagecontroller.shard.ShardStore;
import io.storagecontroller.shard.ShardView;
import io.storagecontroller.shard.SplitAbortOutcome;
import io.storagecontroller.split.ShardSplits;
import io.storagecontroller.split.SplitChildren;
import io.storagecontroller.split.SplitLocations;
import io.storagecontroller.split.SplitParameters;
import java.util.List;
import java.util.Optional;
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
  private final SplitLocations locations;
  private final ReconcileRequests reconciles;
  private final ShardStore store;
  private final OperationLog operations;

  public ShardSplitOperation(
      ShardSplitService service,
      ShardSplits splits,
      SplitLocations locations,
      ReconcileRequests reconciles,
      ShardStore store,
      OperationLog operations) {
    this.service = service;
    this.splits = splits;
    this.locations = locations;
    this.reconciles = reconciles;
    this.store = store;
    this.operations = operations;
  }

  @Override
  public String kind() {
    return ShardSplitService.KIND;
  }

  /**
   * Runs the split again. A split whose repair did not finish (its rollback failed at start-up,
   * say) still has its parents splitting: the repair is finished first, and a split it finds
   * committed is resumed rather than started again.
   */
  @Override
  public Operation retry(Operation previous) {
    TenantId tenant = TenantId.parse(previous.target());
    if (store.tenant(tenant).stream().anyMatch(ShardView::splitting)) {
      Optional<Operation> resumed = repair(previous);
      if (resumed.isPresent()) {
        return resumed.get();
      }
    }
    return service.start(tenant, SplitParameters.parse(previous.parameters()));
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

  /** Rolls the split back or, if it committed, resumes its last steps (returned). */
  private Optional<Operation> repair(Operation operation) {
    TenantId tenant = TenantId.parse(operation.target());
    SplitParameters parameters = SplitParameters.parse(operation.parameters());
    ShardCount newCount = ShardCount.of(parameters.newShardCount());
    List<ShardView> before = store.tenant(tenant);
    SplitAbortOutcome outcome = splits.abort(tenant, newCount, List.of());
    switch (outcome) {
      case ROLLED_BACK -> {
        operations.phase(operation.id(), "rolled_back");
        removeChildren(before, newCount);
        if (store.hasTenant(tenant)) {
          reconciles.request(tenant);
        }
        log.warn(
            "tenant {}: split (operation {}) lost its workflow before the commit: rolled back",
            tenant,
            operation.id());
        return Optional.empty();
      }
      case COMMITTED -> {
        // Closed first: the resumed steps run as a new operation of the same tenant.
        operations.finish(
            operation.id(),
            Operation.SUCCEEDED,
            "committed before the controller restarted; its last steps were resumed as a new"
                + " split operation",
            "committed");
        Operation resumed = service.resume(tenant, parameters, "committed");
        log.warn(
            "tenant {}: split (operation {}) lost its workflow after the commit: resumed as"
                + " operation {}",
            tenant,
            operation.id(),
            resumed.id());
        return Optional.of(resumed);
      }
      case NOT_SPLITTING -> {
        log.info("tenant {}: no split left to repair", tenant);
        return Optional.empty();
      }
    }
    throw new IllegalStateException("unknown outcome " + outcome);
  }

  /**
   * Best effort: at start-up the nodes may not be loaded yet, and the start-up scan detaches any
   * child left behind anyway (nothing knows it).
   */
  private void removeChildren(List<ShardView> parents, ShardCount newCount) {
    for (ShardView parent : parents) {
      NodeId node = parent.attached() != null ? parent.attached() : parent.generationPageserver();
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
