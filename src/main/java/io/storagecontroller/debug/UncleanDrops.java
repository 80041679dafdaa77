package io.storagecontroller.debug;

import io.storagecontroller.model.NodeId;
import io.storagecontroller.model.NodeLifecycle;
import io.storagecontroller.model.Refusal;
import io.storagecontroller.model.TenantId;
import io.storagecontroller.node.Node;
import io.storagecontroller.node.NodePersistence;
import io.storagecontroller.node.NodeService;
import io.storagecontroller.persistence.SerializableTransactions;
import io.storagecontroller.shard.ShardStore;
import java.util.List;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.stereotype.Service;

/**
 * Forgetting without teardown ({@code /debug/v1/tenant/:id/drop}, {@code /debug/v1/node/:id/drop})
 * and the node tombstones a drop leaves. No pageserver is called: whatever they hold stays there.
 * The shard store removes shards and node references, database first; the result passes the
 * consistency check.
 */
@Service
public class UncleanDrops {
  private static final Logger log = LoggerFactory.getLogger(UncleanDrops.class);

  private final ShardStore store;
  private final NodeService nodes;
  private final NodePersistence nodeRows;
  private final SerializableTransactions transactions;

  public UncleanDrops(
      ShardStore store,
      NodeService nodes,
      NodePersistence nodeRows,
      SerializableTransactions transactions) {
    this.store = store;
    this.nodes = nodes;
    this.nodeRows = nodeRows;
    this.transactions = transactions;
  }

  /** Deletes the tenant's rows and its shards in memory, releasing their scheduler counts. */
  public void dropTenant(TenantId tenant) {
    boolean inMemory = store.hasTenant(tenant);
    int deleted = store.deleteTenant(tenant);
    if (!inMemory && deleted == 0) {
      throw Refusal.notFound("Tenant " + tenant + " not found");
    }
    log.info("dropped tenant {}: {} rows deleted (pageservers untouched)", tenant, deleted);
  }

  /**
   * Removes the node from every shard's intent (persisted) and observed state, tombstones it, then
   * forgets it in memory and the scheduler. Nothing is rescheduled.
   */
  public void dropNode(NodeId node) {
    if (nodes.find(node).isEmpty()) {
      Optional<Node> row = transactions.execute("get_node", () -> nodeRows.find(node));
      if (row.isEmpty() || row.get().lifecycle() == NodeLifecycle.DELETED) {
        throw Refusal.notFound("Node " + node + " not registered");
      }
    }
    int touched = store.forgetNode(node);
    nodes.tombstone(node);
    log.info(
        "dropped node {}: tombstoned, removed from {} shards' intent or observed state"
            + " (nothing rescheduled)",
        node,
        touched);
  }

  /** Nodes whose row is a tombstone ({@code lifecycle = 'deleted'}), by id. */
  public List<Node> tombstones() {
    return transactions.execute("list_tombstones", nodeRows::listDeleted);
  }

  /** Deletes a tombstone row, so the id may register again. */
  public void deleteTombstone(NodeId node) {
    if (nodes.find(node).isPresent()) {
      throw Refusal.conflict("Node " + node + " is still active; drop or delete it first");
    }
    transactions.run(
        "delete_tombstone",
        () -> {
          Optional<Node> row = nodeRows.find(node);
          if (row.isEmpty()) {
            throw Refusal.notFound("Node " + node + " not found");
          }
          if (row.get().lifecycle() != NodeLifecycle.DELETED) {
            throw Refusal.conflict("Node " + node + " is still active; drop or delete it first");
          }
          nodeRows.deleteTombstone(node);
        });
    store.nodeMayReturn(node);
    log.info("deleted the tombstone of node {}", node);
  }
}
