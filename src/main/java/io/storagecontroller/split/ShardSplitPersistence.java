package io.storagecontroller.split;

import io.storagecontroller.model.NodeId;
import io.storagecontroller.model.ShardCount;
import io.storagecontroller.model.ShardSchedulingPolicy;
import io.storagecontroller.model.ShardStripeSize;
import io.storagecontroller.model.TenantId;
import io.storagecontroller.model.TenantShardId;
import io.storagecontroller.tenant.TenantShardPersistence;
import io.storagecontroller.tenant.TenantShardRow;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Repository;

/**
 * The database steps of a split, each one statement group for one SERIALIZABLE transaction (run
 * them inside {@code SerializableTransactions}). Unlike Neon, the children's rows are only written
 * by the commit: the table never holds both a tenant's parents and its children, so a crash at any
 * point leaves either the parents (possibly marked splitting) or the children.
 */
@Repository
public class ShardSplitPersistence {
  private final JdbcClient jdbc;
  private final TenantShardPersistence shards;

  public ShardSplitPersistence(JdbcClient jdbc, TenantShardPersistence shards) {
    this.jdbc = jdbc;
    this.shards = shards;
  }

  /**
   * begin_shard_split: marks every shard of the old count splitting; returns how many it marked
   * (fewer than the count means another split or a delete raced).
   */
  public int begin(TenantId tenant, ShardCount oldCount) {
    return jdbc.sql(
            "UPDATE tenant_shards SET splitting = 1"
                + " WHERE tenant_id = ? AND shard_count = ? AND splitting = 0")
        .params(tenant.toString(), oldCount.literal())
        .update();
  }

  /**
   * complete_shard_split: replaces the splitting parents by their children in one go. Each child
   * takes its parent's generation (read here, inside the transaction), the node the parent was
   * split on as its attached node, and the parent's placement policy, config and preferred AZ; its
   * scheduling policy is the default, as in Neon. Repeating a completed commit returns the children
   * unchanged.
   *
   * @param splitNodes the node each parent was split on
   * @throws SplitNoLongerPending when the parents are not all there and splitting
   */
  public List<TenantShardRow> complete(
      TenantId tenant,
      ShardCount oldCount,
      ShardCount newCount,
      ShardStripeSize childStripe,
      Map<TenantShardId, NodeId> splitNodes) {
    List<TenantShardRow> rows = shards.loadTenant(tenant);
    if (!rows.isEmpty()
        && rows.stream().allMatch(r -> r.id().shardCount().equals(newCount) && !r.splitting())) {
      return rows;
    }
    boolean pending =
        rows.size() == oldCount.count()
            && rows.stream().allMatch(r -> r.id().shardCount().equals(oldCount) && r.splitting())
            && rows.stream().allMatch(r -> splitNodes.containsKey(r.id()));
    if (!pending) {
      throw new SplitNoLongerPending(
          "the split of tenant " + tenant + " is no longer pending: it was rolled back");
    }
    List<TenantShardRow> children = new ArrayList<>();
    for (TenantShardRow parent : rows) {
      NodeId node = splitNodes.get(parent.id());
      for (TenantShardId child : SplitChildren.of(parent.id(), newCount)) {
        children.add(
            new TenantShardRow(
                child,
                childStripe,
                parent.generation(),
                parent.generationPageserver() != null ? parent.generationPageserver() : node,
                parent.placementPolicy(),
                false,
                parent.config(),
                ShardSchedulingPolicy.ACTIVE,
                parent.preferredAz(),
                node,
                List.of()));
      }
    }
    children.sort((a, b) -> a.id().compareTo(b.id()));
    jdbc.sql("DELETE FROM tenant_shards WHERE tenant_id = ? AND shard_count = ?")
        .params(tenant.toString(), oldCount.literal())
        .update();
    shards.insert(children);
    return children;
  }

  /**
   * abort_shard_split: the parents become idle again. Finding the children instead means the commit
   * landed.
   */
  public SplitAbortOutcome abort(TenantId tenant, ShardCount newCount) {
    int idle =
        jdbc.sql("UPDATE tenant_shards SET splitting = 0 WHERE tenant_id = ? AND splitting <> 0")
            .param(tenant.toString())
            .update();
    if (idle > 0) {
      return SplitAbortOutcome.ROLLED_BACK;
    }
    List<TenantShardRow> rows = shards.loadTenant(tenant);
    if (newCount != null
        && !rows.isEmpty()
        && rows.stream().allMatch(r -> r.id().shardCount().equals(newCount))) {
      return SplitAbortOutcome.COMMITTED;
    }
    return SplitAbortOutcome.NOT_SPLITTING;
  }

  /** The tenant's shards as stored. */
  public List<TenantShardRow> load(TenantId tenant) {
    return shards.loadTenant(tenant);
  }
}
