package io.storagecontroller.debug;

import io.storagecontroller.http.ApiError;
import io.storagecontroller.model.NodeId;
import io.storagecontroller.model.NodeLifecycle;
import io.storagecontroller.model.TenantId;
import io.storagecontroller.node.Node;
import io.storagecontroller.node.NodePersistence;
import io.storagecontroller.node.NodeService;
import io.storagecontroller.persistence.SerializableTransactions;
import io.storagecontroller.tenant.ServiceState;
import io.storagecontroller.tenant.TenantShard;
import io.storagecontroller.tenant.TenantShardPersistence;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.stereotype.Service;

/**
 * Forgetting without teardown ({@code /debug/v1/tenant/:id/drop}, {@code /debug/v1/node/:id/drop})
 * and the node tombstones a drop leaves. No pageserver is called: whatever they hold stays there.
 * Postgres is written first, then memory and the scheduler's counts, all under the service state's
 * monitor so that no schedule decision sees half a drop; the result passes the consistency check.
 */
@Service
public class UncleanDrops {
  private static final Logger log = LoggerFactory.getLogger(UncleanDrops.class);

  private final ServiceState state;
  private final NodeService nodes;
  private final NodePersistence nodeRows;
  private final TenantShardPersistence shardRows;
  private final SerializableTransactions transactions;

  public UncleanDrops(
      ServiceState state,
      NodeService nodes,
      NodePersistence nodeRows,
      TenantShardPersistence shardRows,
      SerializableTransactions transactions) {
    this.state = state;
    this.nodes = nodes;
    this.shardRows = shardRows;
    this.nodeRows = nodeRows;
    this.transactions = transactions;
  }

  /** Deletes the tenant's rows and its shards in memory, releasing their scheduler counts. */
  public void dropTenant(TenantId tenant) {
    synchronized (state) {
      boolean inMemory = state.hasTenant(tenant);
      int deleted = transactions.execute("delete_tenant", () -> shardRows.deleteTenant(tenant));
      if (!inMemory && deleted == 0) {
        throw ApiError.notFound("Tenant " + tenant + " not found");
      }
      List<TenantShard> removed = state.removeTenant(tenant);
      log.info(
          "dropped tenant {}: {} rows deleted, {} shards forgotten (pageservers untouched)",
          tenant,
          deleted,
          removed.size());
    }
  }

  /**
   * Tombstones the node, removes it from every shard's intent (persisted) and observed state, then
   * from memory and the scheduler. Nothing is rescheduled.
   */
  public void dropNode(NodeId node) {
    synchronized (state) {
      if (nodes.find(node).isEmpty()) {
        Optional<Node> row = transactions.execute("get_node", () -> nodeRows.find(node));
        if (row.isEmpty() || row.get().lifecycle() == NodeLifecycle.DELETED) {
          throw ApiError.notFound("Node " + node + " not registered");
        }
      }
      List<TenantShard> referencing = new ArrayList<>();
      for (TenantShard shard : state.all()) {
        if (shard.intent().allNodes().contains(node)) {
          referencing.add(shard);
        }
      }
      transactions.run(
          "node_drop",
          () -> {
            nodeRows.markDeleted(node);
            for (TenantShard shard : referencing) {
              NodeId attached = shard.intent().attached();
              shardRows.updateIntent(
                  shard.id(),
                  node.equals(attached) ? null : attached,
                  shard.intent().secondaries().stream().filter(n -> !n.equals(node)).toList());
            }
          });
      for (TenantShard shard : referencing) {
        if (shard.intent().derefNode(node)) {
          shard.markIntentChanged();
        }
      }
      int observed = 0;
      for (TenantShard shard : state.all()) {
        if (shard.observed().locations().containsKey(node)) {
          shard.observed().remove(node);
          observed++;
        }
      }
      nodes.forget(node);
      log.info(
          "dropped node {}: tombstoned, removed from {} intents and {} observed states"
              + " (nothing rescheduled)",
          node,
          referencing.size(),
          observed);
    }
  }

  /** Nodes whose row is a tombstone ({@code lifecycle = 'deleted'}), by id. */
  public List<Node> tombstones() {
    return transactions.execute("list_tombstones", nodeRows::listDeleted);
  }

  /** Deletes a tombstone row, so the id may register again. */
  public void deleteTombstone(NodeId node) {
    if (nodes.find(node).isPresent()) {
      throw ApiError.conflict("Node " + node + " is still active; drop or delete it first");
    }
    transactions.run(
        "delete_tombstone",
        () -> {
          Optional<Node> row = nodeRows.find(node);
          if (row.isEmpty()) {
            throw ApiError.notFound("Node " + node + " not found");
          }
          if (row.get().lifecycle() != NodeLifecycle.DELETED) {
            throw ApiError.conflict("Node " + node + " is still active; drop or delete it first");
          }
          nodeRows.deleteTombstone(node);
        });
    log.info("deleted the tombstone of node {}", node);
  }
}
