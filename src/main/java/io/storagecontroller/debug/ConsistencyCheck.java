package io.storagecontroller.debug;

import io.storagecontroller.model.NodeId;
import io.storagecontroller.model.Refusal;
import io.storagecontroller.node.Node;
import io.storagecontroller.node.NodePersistence;
import io.storagecontroller.node.NodeService;
import io.storagecontroller.persistence.SerializableTransactions;
import io.storagecontroller.reconcile.ShardReconcilePlanner;
import io.storagecontroller.shard.ShardStore;
import io.storagecontroller.shard.ShardView;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.springframework.stereotype.Component;

/**
 * Memory against Postgres against the scheduler's counts, for an idle system (contract: {@code POST
 * /debug/v1/consistency_check}). Tests run it at the end of every end-to-end scenario.
 */
@Component
public class ConsistencyCheck {
  private final ShardStore store;
  private final NodeService nodes;
  private final NodePersistence nodeRows;
  private final SerializableTransactions transactions;

  public ConsistencyCheck(
      ShardStore store,
      NodeService nodes,
      NodePersistence nodeRows,
      SerializableTransactions transactions) {
    this.store = store;
    this.nodes = nodes;
    this.nodeRows = nodeRows;
    this.transactions = transactions;
  }

  /** Returns the mismatches (empty when consistent); refuses while reconciles are pending. */
  public List<String> run() {
    Set<NodeId> available = nodes.availableNodes();
    List<ShardView> shards = store.all();
    long dirty = shards.stream().filter(s -> ShardReconcilePlanner.isDirty(s, available)).count();
    long held = shards.stream().filter(ShardView::held).count();
    if (dirty > 0 || held > 0) {
      throw Refusal.conflict(
          "reconciles in flight: "
              + dirty
              + " shards do not yet match their intent and "
              + held
              + " are migrating or splitting; run the check on an idle system");
    }
    List<String> problems = new ArrayList<>();
    List<Node> storedNodes = transactions.execute("list_nodes", nodeRows::listLive);
    Map<NodeId, Node> memoryNodes = new HashMap<>();
    nodes.list().forEach(n -> memoryNodes.put(n.id(), n));
    for (Node stored : storedNodes) {
      Node inMemory = memoryNodes.remove(stored.id());
      if (inMemory == null) {
        problems.add("node " + stored.id() + " is in the database but not in memory");
      } else if (!inMemory.address().equals(stored.address())
          || inMemory.scheduling() != stored.scheduling()) {
        problems.add(
            "node " + stored.id() + " differs: memory " + inMemory + ", database " + stored);
      }
    }
    memoryNodes.keySet().forEach(id -> problems.add("node " + id + " is in memory only"));
    problems.addAll(store.consistencyProblems());
    return problems;
  }
}
