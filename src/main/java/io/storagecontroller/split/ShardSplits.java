package io.storagecontroller.split;

import io.storagecontroller.http.ApiError;
import io.storagecontroller.model.LocationConfigMode;
import io.storagecontroller.model.NodeId;
import io.storagecontroller.model.ShardCount;
import io.storagecontroller.model.ShardStripeSize;
import io.storagecontroller.model.TenantId;
import io.storagecontroller.model.TenantShardId;
import io.storagecontroller.node.NodeService;
import io.storagecontroller.operation.OperationPersistence;
import io.storagecontroller.pageserver.LocationConfig;
import io.storagecontroller.persistence.SerializableTransactions;
import io.storagecontroller.reconcile.LocationWriter;
import io.storagecontroller.tenant.ServiceState;
import io.storagecontroller.tenant.TenantShard;
import io.storagecontroller.tenant.TenantShardRow;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.stereotype.Component;

/**
 * The state transitions of a split (Neon's begin, complete and abort), each written to Postgres
 * first and then to memory under the service state's lock, so re-attach and the sweep never see one
 * without the other. No pageserver calls here: those are the workflow's activities.
 */
@Component
public class ShardSplits {
  private static final Logger log = LoggerFactory.getLogger(ShardSplits.class);

  private final ServiceState state;
  private final NodeService nodes;
  private final ShardSplitPersistence persistence;
  private final OperationPersistence operations;
  private final SerializableTransactions transactions;
  private final LocationWriter writer;

  public ShardSplits(
      ServiceState state,
      NodeService nodes,
      ShardSplitPersistence persistence,
      OperationPersistence operations,
      SerializableTransactions transactions,
      LocationWriter writer) {
    this.state = state;
    this.nodes = nodes;
    this.persistence = persistence;
    this.operations = operations;
    this.transactions = transactions;
    this.writer = writer;
  }

  /**
   * Validates the split and marks the parents splitting (database, then memory). From then on the
   * sweep and reconciles leave them alone; a reconcile already talking to a parent's pageserver is
   * waited for before this returns.
   *
   * @throws ApiError when the split is refused; nothing changed then
   */
  public SplitStart begin(
      long operationId, TenantId tenant, ShardCount newCount, ShardStripeSize newStripe) {
    List<ParentShard> parents = new ArrayList<>();
    SplitCheck check;
    synchronized (state) {
      List<TenantShard> shards = state.tenant(tenant);
      check = SplitPreconditions.check(tenant, shards, newCount, newStripe, nodes.availableNodes());
      if (check.isAlreadySplit()) {
        return new SplitStart(check.alreadySplit(), null, null, List.of());
      }
      ShardCount oldCount = check.oldCount();
      transactions.run(
          "begin_shard_split",
          () -> {
            int marked = persistence.begin(tenant, oldCount);
            if (marked != oldCount.count()) {
              // Rolls the transaction back: another split or a delete got there first.
              throw ApiError.conflict("Tenant " + tenant + " is already splitting");
            }
            operations.phase(operationId, "validated");
            operations.total(operationId, oldCount.count());
          });
      for (TenantShard shard : shards) {
        LocationConfig held = SplitPreconditions.attachedConfig(shard).orElseThrow();
        NodeId node = shard.intent().attached();
        parents.add(
            new ParentShard(
                shard.id(),
                node,
                shard.generation(),
                shard.intent().secondaries(),
                held.tenantConf().deepCopy()));
        shard.setSplitting(true);
        // Once split, the parent is gone from that pageserver: never trust it to be there again.
        shard.observed().markUnknown(node);
      }
    }
    // A reconcile that planned before the flag was set may still be talking to a pageserver.
    for (ParentShard parent : parents) {
      writer.asWriter(parent.id(), () -> null);
    }
    log.info(
        "tenant {}: split from {} to {} shards begun (operation {})",
        tenant,
        check.oldCount().count(),
        newCount.count(),
        operationId);
    return new SplitStart(List.of(), check.oldCount(), check.childStripe(), parents);
  }

  /**
   * The commit: one transaction replaces the parents with their children (and records the phase),
   * then memory does the same. After this the split can only go forward.
   *
   * @throws SplitNoLongerPending when the split was rolled back meanwhile
   */
  public List<TenantShardId> complete(
      long operationId,
      TenantId tenant,
      ShardCount oldCount,
      ShardCount newCount,
      ShardStripeSize childStripe,
      List<ParentShard> parents) {
    Map<TenantShardId, NodeId> splitNodes = new HashMap<>();
    parents.forEach(p -> splitNodes.put(p.id(), p.node()));
    synchronized (state) {
      List<TenantShardRow> children =
          transactions.execute(
              "complete_shard_split",
              () -> {
                List<TenantShardRow> rows =
                    persistence.complete(tenant, oldCount, newCount, childStripe, splitNodes);
                operations.phase(operationId, "committed");
                return rows;
              });
      adoptChildren(tenant, newCount, children, parents);
      log.info(
          "tenant {}: split committed, {} shards replaced by {}",
          tenant,
          parents.size(),
          children.size());
      return children.stream().map(TenantShardRow::id).toList();
    }
  }

  /**
   * Undoes a split that has not committed: the parents are idle again in the database, then in
   * memory, and their reconcile (requested by the caller) attaches them again. A split found
   * committed is adopted in memory instead.
   *
   * @param parents the parents as the split began, or empty when unknown (after a restart)
   */
  public SplitAbortOutcome abort(TenantId tenant, ShardCount newCount, List<ParentShard> parents) {
    synchronized (state) {
      SplitAbortOutcome outcome =
          transactions.execute("abort_shard_split", () -> persistence.abort(tenant, newCount));
      switch (outcome) {
        case ROLLED_BACK, NOT_SPLITTING -> {
          for (TenantShard shard : state.tenant(tenant)) {
            if (shard.splitting()) {
              shard.setSplitting(false);
              shard.markIntentChanged();
            }
          }
        }
        case COMMITTED -> {
          if (!parents.isEmpty()) {
            adoptChildren(tenant, newCount, persistence.load(tenant), parents);
          }
        }
      }
      log.info("tenant {}: split abort found it {}", tenant, outcome);
      return outcome;
    }
  }

  /**
   * Memory follows a committed split: the parents (if still here) give way to the children,
   * attached where their parent was split, holding what that pageserver made of the parent.
   */
  private void adoptChildren(
      TenantId tenant,
      ShardCount newCount,
      List<TenantShardRow> children,
      List<ParentShard> parents) {
    List<TenantShard> inMemory = state.tenant(tenant);
    if (!inMemory.isEmpty()
        && inMemory.stream().allMatch(s -> s.id().shardCount().equals(newCount))) {
      return;
    }
    Map<TenantShardId, ParentShard> parentOf = new HashMap<>();
    for (ParentShard parent : parents) {
      SplitChildren.of(parent.id(), newCount).forEach(c -> parentOf.put(c, parent));
    }
    state.removeTenant(tenant);
    for (TenantShardRow row : children) {
      TenantShard child = state.load(row);
      ParentShard parent = parentOf.get(row.id());
      if (parent != null && parent.generation() != null) {
        child
            .observed()
            .set(
                parent.node(),
                new LocationConfig(
                    LocationConfigMode.ATTACHED_SINGLE,
                    parent.generation().value(),
                    null,
                    row.id().shardNumber().value(),
                    newCount.literal(),
                    row.stripeSize().value(),
                    parent.tenantConf().deepCopy()));
      }
    }
  }
}
