package io.storagecontroller.debug;

import io.storagecontroller.http.ApiError;
import io.storagecontroller.model.NodeId;
import io.storagecontroller.node.Node;
import io.storagecontroller.node.NodePersistence;
import io.storagecontroller.node.NodeService;
import io.storagecontroller.persistence.SerializableTransactions;
import io.storagecontroller.tenant.IntentState;
import io.storagecontroller.tenant.ServiceState;
import io.storagecontroller.tenant.TenantShard;
import io.storagecontroller.tenant.TenantShardPersistence;
import io.storagecontroller.tenant.TenantShardRow;
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
  private final ServiceState state;
  private final NodeService nodes;
  private final NodePersistence nodeRows;
  private final TenantShardPersistence shardRows;
  private final SerializableTransactions transactions;

  public ConsistencyCheck(
      ServiceState state,
      NodeService nodes,
      NodePersistence nodeRows,
      TenantShardPersistence shardRows,
      SerializableTransactions transactions) {
    this.state = state;
    this.nodes = nodes;
    this.nodeRows = nodeRows;
    this.shardRows = shardRows;
    this.transactions = transactions;
  }

  /** Returns the mismatches (empty when consistent); refuses while reconciles are pending. */
  public List<String> run() {
    Set<NodeId> available = nodes.availableNodes();
    long dirty = state.all().stream().filter(s -> state.isDirty(s, available)).count();
    long migrating = state.read(() -> state.all().stream().filter(TenantShard::migrating).count());
    if (dirty > 0 || migrating > 0) {
      throw ApiError.conflict(
          "reconciles in flight: "
              + dirty
              + " shards do not yet match their intent and "
              + migrating
              + " are migrating; run the check on an idle system");
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

    List<TenantShardRow> rows =
        transactions.execute("list_tenant_shards", shardRows::listAttachable);
    state.read(
        () -> {
          Map<Object, TenantShard> memory = new HashMap<>();
          state.all().forEach(s -> memory.put(s.id(), s));
          for (TenantShardRow row : rows) {
            TenantShard shard = memory.remove(row.id());
            if (shard == null) {
              problems.add("shard " + row.id() + " is in the database but not in memory");
            } else if (!shard.toRow().equals(row)) {
              problems.add(
                  "shard " + row.id() + " differs: memory " + shard.toRow() + ", database " + row);
            }
          }
          memory.values().stream()
              .filter(
                  s -> !(s.policy() instanceof io.storagecontroller.model.PlacementPolicy.Detached))
              .forEach(s -> problems.add("shard " + s.id() + " is in memory only"));
          List<IntentState> intents = state.all().stream().map(TenantShard::intent).toList();
          problems.addAll(state.scheduler().consistencyCheck(intents));
          return null;
        });
    return problems;
  }
}
