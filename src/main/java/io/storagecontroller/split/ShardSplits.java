package io.storagecontroller.split;

import io.storagecontroller.model.LocationConfigMode;
import io.storagecontroller.model.NodeId;
import io.storagecontroller.model.Refusal;
import io.storagecontroller.model.ShardCount;
import io.storagecontroller.model.ShardSchedulingPolicy;
import io.storagecontroller.model.ShardStripeSize;
import io.storagecontroller.model.TenantId;
import io.storagecontroller.model.TenantShardId;
import io.storagecontroller.node.NodeService;
import io.storagecontroller.operation.OperationLog;
import io.storagecontroller.pageserver.LocationConfig;
import io.storagecontroller.shard.ShardDraft;
import io.storagecontroller.shard.ShardStore;
import io.storagecontroller.shard.ShardView;
import io.storagecontroller.shard.SplitAbortOutcome;
import io.storagecontroller.shard.TenantShardRow;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.function.Function;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.stereotype.Component;

/**
 * The state transitions of a split (Neon's begin, complete and abort), each an edit of the tenant
 * in the shard store. Unlike Neon, the children's rows are only written by the commit: the table
 * never holds both a tenant's parents and its children, so a crash at any point leaves either the
 * parents (possibly marked splitting, held by the split) or the children. No pageserver calls here:
 * those are the workflow's steps.
 */
@Component
public class ShardSplits {
  private static final Logger log = LoggerFactory.getLogger(ShardSplits.class);

  private final ShardStore store;
  private final NodeService nodes;
  private final OperationLog operations;

  public ShardSplits(ShardStore store, NodeService nodes, OperationLog operations) {
    this.store = store;
    this.nodes = nodes;
    this.operations = operations;
  }

  /**
   * Validates the split, marks the parents splitting and holds them for the split's operation
   * (database, then memory). A reconcile already talking to a parent's pageserver is waited for
   * before this returns.
   *
   * @throws Refusal when the split is refused; nothing changed then
   */
  public SplitStart begin(
      long operationId, TenantId tenant, ShardCount newCount, ShardStripeSize newStripe) {
    SplitStart start =
        store.change(
            tenant,
            "begin_shard_split",
            edit -> {
              List<ShardView> shards = edit.shards().stream().map(ShardDraft::before).toList();
              SplitCheck check =
                  SplitPreconditions.check(
                      tenant, shards, newCount, newStripe, nodes.availableNodes());
              if (check.isAlreadySplit()) {
                return new SplitStart(check.alreadySplit(), null, null, List.of());
              }
              List<ParentShard> parents = new ArrayList<>();
              for (ShardDraft shard : edit.shards()) {
                LocationConfig held =
                    SplitPreconditions.attachedConfig(shard.before()).orElseThrow();
                NodeId node = shard.intent().attached();
                parents.add(
                    new ParentShard(
                        shard.id(),
                        node,
                        shard.before().generation(),
                        shard.intent().secondaries(),
                        held.tenantConf().deepCopy()));
                shard.setSplitting(true);
                shard.holdFor(operationId);
                // Once split, the parent is gone from that pageserver: never trust it again.
                shard.markObservedUnknown(node);
              }
              return new SplitStart(List.of(), check.oldCount(), check.childStripe(), parents);
            });
    if (start.isAlreadySplit()) {
      return start;
    }
    operations.phase(operationId, "validated");
    operations.total(operationId, start.oldCount().count());
    // A reconcile that planned before the hold may still be talking to a pageserver.
    for (ParentShard parent : start.parents()) {
      store.asWriter(parent.id(), () -> null);
    }
    log.info(
        "tenant {}: split from {} to {} shards begun (operation {})",
        tenant,
        start.oldCount().count(),
        newCount.count(),
        operationId);
    return start;
  }

  /**
   * The commit: one transaction replaces the parents with their children, then memory does the
   * same. After this the split can only go forward.
   *
   * @throws SplitNoLongerPending when the split was rolled back meanwhile (or another operation
   *     holds the tenant now), or a parent's generation moved on since the pageserver split it (its
   *     pageserver restarted and re-attached the parent): the children it made are not the shard's
   *     any more
   */
  public List<TenantShardId> complete(
      long operationId,
      TenantId tenant,
      ShardCount oldCount,
      ShardCount newCount,
      ShardStripeSize childStripe,
      List<ParentShard> parents) {
    Map<TenantShardId, ParentShard> splitAt = new HashMap<>();
    parents.forEach(p -> splitAt.put(p.id(), p));
    List<TenantShardId> children =
        store.commitSplit(
            tenant,
            newCount,
            rows -> children(operationId, tenant, rows, oldCount, newCount, childStripe, splitAt),
            observedAsSplit(newCount, parents));
    operations.phase(operationId, "committed");
    log.info(
        "tenant {}: split committed, {} shards replaced by {}",
        tenant,
        parents.size(),
        children.size());
    return children;
  }

  /**
   * Undoes a split that has not committed: the parents are idle and released again, and their
   * reconcile (requested by the caller) attaches them again. A split found committed is adopted in
   * memory instead.
   *
   * @param parents the parents as the split began, or empty when unknown (after a restart)
   */
  public SplitAbortOutcome abort(TenantId tenant, ShardCount newCount, List<ParentShard> parents) {
    SplitAbortOutcome outcome =
        store.abortSplit(tenant, newCount, observedAsSplit(newCount, parents));
    log.info("tenant {}: split abort found it {}", tenant, outcome);
    return outcome;
  }

  /**
   * The children's rows, from the parents' rows as stored: each takes its parent's generation, the
   * node the parent was split on as its attached node, and the parent's placement policy, config
   * and preferred AZ; its scheduling policy is the default, as in Neon.
   */
  private static List<TenantShardRow> children(
      long operationId,
      TenantId tenant,
      List<TenantShardRow> rows,
      ShardCount oldCount,
      ShardCount newCount,
      ShardStripeSize childStripe,
      Map<TenantShardId, ParentShard> splitAt) {
    boolean pending =
        rows.size() == oldCount.count()
            && rows.stream().allMatch(r -> r.id().shardCount().equals(oldCount) && r.splitting())
            && rows.stream().allMatch(r -> splitAt.containsKey(r.id()));
    if (!pending) {
      throw new SplitNoLongerPending(
          "the split of tenant " + tenant + " is no longer pending: it was rolled back");
    }
    if (!rows.stream().allMatch(r -> Long.valueOf(operationId).equals(r.heldBy()))) {
      // This split was repaired as interrupted while its workflow was out of reach, and another
      // operation holds the tenant now: its split is not this one's to commit.
      throw new SplitNoLongerPending(
          "operation " + operationId + " no longer holds tenant " + tenant + ": it stands aside");
    }
    List<TenantShardRow> children = new ArrayList<>();
    for (TenantShardRow parent : rows) {
      ParentShard split = splitAt.get(parent.id());
      if (!Objects.equals(parent.generation(), split.generation())) {
        throw new SplitNoLongerPending(
            parent.id()
                + " was split at generation "
                + split.generation()
                + " but holds "
                + parent.generation()
                + " now (its pageserver re-attached it): the split must be rolled back");
      }
      for (TenantShardId child : SplitChildren.of(parent.id(), newCount)) {
        children.add(
            new TenantShardRow(
                child,
                childStripe,
                parent.generation(),
                parent.generationPageserver() != null
                    ? parent.generationPageserver()
                    : split.node(),
                parent.placementPolicy(),
                false,
                parent.config(),
                ShardSchedulingPolicy.ACTIVE,
                parent.preferredAz(),
                split.node(),
                List.of(),
                null));
      }
    }
    children.sort((a, b) -> a.id().compareTo(b.id()));
    return children;
  }

  /**
   * What each child's pageserver holds once the split is committed: the child, attached where its
   * parent was split, with the parent's generation and the tenant config that node held.
   */
  private static Function<TenantShardRow, Map<NodeId, LocationConfig>> observedAsSplit(
      ShardCount newCount, List<ParentShard> parents) {
    Map<TenantShardId, ParentShard> parentOf = new HashMap<>();
    for (ParentShard parent : parents) {
      SplitChildren.of(parent.id(), newCount).forEach(c -> parentOf.put(c, parent));
    }
    return child -> {
      ParentShard parent = parentOf.get(child.id());
      if (parent == null || parent.generation() == null) {
        return Map.of();
      }
      return Map.of(
          parent.node(),
          new LocationConfig(
              LocationConfigMode.ATTACHED_SINGLE,
              parent.generation().value(),
              null,
              child.id().shardNumber().value(),
              newCount.literal(),
              child.stripeSize().value(),
              parent.tenantConf().deepCopy()));
    };
  }
}
