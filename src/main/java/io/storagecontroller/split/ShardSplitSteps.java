package io.storagecontroller.split;

import io.storagecontroller.compute.ComputeNotifications;
import io.storagecontroller.failpoint.Failpoints;
import io.storagecontroller.model.NodeId;
import io.storagecontroller.model.ShardCount;
import io.storagecontroller.model.ShardStripeSize;
import io.storagecontroller.model.StepFailure;
import io.storagecontroller.model.TenantId;
import io.storagecontroller.model.TenantShardId;
import io.storagecontroller.operation.OperationLog;
import io.storagecontroller.pageserver.PageserverException;
import io.storagecontroller.reconcile.ReconcileRequests;
import io.storagecontroller.shard.ShardStore;
import io.storagecontroller.shard.ShardView;
import io.storagecontroller.shard.SplitAbortOutcome;
import io.storagecontroller.startup.Readiness;
import io.storagecontroller.tenant.TenantService;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.stereotype.Component;

/**
 * The steps of a shard split as the saga runs them: begin, split each parent on its pageserver,
 * commit, then place and reconcile the children, or roll back. Each records the operation's phase;
 * each is safe to repeat.
 */
@Component
public class ShardSplitSteps {
  private static final Logger log = LoggerFactory.getLogger(ShardSplitSteps.class);

  /** Neon waits this long for the children's reconciles after a split. */
  static final Duration CHILDREN_RECONCILE_WAIT = Duration.ofSeconds(30);

  private final ShardSplits splits;
  private final SplitLocations locations;
  private final ChildPlacement placement;
  private final ShardStore store;
  private final TenantService tenants;
  private final ReconcileRequests reconciles;
  private final ComputeNotifications notifications;
  private final OperationLog operations;
  private final Readiness readiness;
  private final Failpoints failpoints;

  public ShardSplitSteps(
      ShardSplits splits,
      SplitLocations locations,
      ChildPlacement placement,
      ShardStore store,
      TenantService tenants,
      ReconcileRequests reconciles,
      ComputeNotifications notifications,
      OperationLog operations,
      Readiness readiness,
      Failpoints failpoints) {
    this.splits = splits;
    this.locations = locations;
    this.placement = placement;
    this.store = store;
    this.tenants = tenants;
    this.reconciles = reconciles;
    this.notifications = notifications;
    this.operations = operations;
    this.readiness = readiness;
    this.failpoints = failpoints;
  }

  /**
   * Validates and marks the parents splitting (see {@link ShardSplits#begin}). The caller passes
   * the validation failpoint, which refuses the split as validation does.
   */
  public SplitStart begin(
      long operationId, TenantId tenant, ShardCount newCount, ShardStripeSize newStripe) {
    SplitStart start = splits.begin(operationId, tenant, newCount, newStripe);
    if (!start.isAlreadySplit()) {
      failpoints.hit("shard-split-post-begin");
    }
    return start;
  }

  /**
   * For a split committed before the controller restarted: the children it has now, once start-up
   * has learnt what the pageservers hold (placing them needs it).
   */
  public List<ShardView> committedChildren(TenantId tenant, ShardCount newCount) {
    if (!readiness.isReady()) {
      throw StepFailure.retryLater("NotReady", "start-up is not complete yet");
    }
    return store.tenant(tenant).stream().filter(s -> s.id().shardCount().equals(newCount)).toList();
  }

  /**
   * Splits one parent on its pageserver, once (Neon does not retry a split; the saga rolls back);
   * returns the children it made, which must be the expected ones.
   */
  public List<TenantShardId> splitOnPageserver(
      long operationId, ParentShard parent, ShardCount newCount, ShardStripeSize newStripe) {
    operations.phase(operationId, "splitting_on_pageservers");
    if (!store
        .shard(parent.id())
        .map(s -> Long.valueOf(operationId).equals(s.heldBy()))
        .orElse(false)) {
      // Resumed after this operation was repaired as interrupted: the parent is not its to split.
      throw StepFailure.fatal(
          "SplitNoLongerHeld",
          "operation " + operationId + " no longer holds " + parent.id() + ": it stands aside");
    }
    List<TenantShardId> made = locations.split(parent.id(), parent.node(), newCount, newStripe);
    List<TenantShardId> expected = SplitChildren.of(parent.id(), newCount);
    if (!made.stream().sorted().toList().equals(expected)) {
      throw StepFailure.fatal(
          "UnexpectedChildren",
          "node "
              + parent.node()
              + " split "
              + parent.id()
              + " into "
              + made
              + ", not "
              + expected);
    }
    operations.advance(operationId, 1);
    log.info("{}: split on node {} into {}", parent.id(), parent.node(), made);
    failpoints.hit("shard-split-post-remote");
    return made;
  }

  /** The commit (see {@link ShardSplits#complete}). */
  public void commit(
      long operationId,
      TenantId tenant,
      ShardCount oldCount,
      ShardCount newCount,
      ShardStripeSize childStripe,
      List<ParentShard> parents) {
    failpoints.hit("shard-split-pre-complete");
    splits.complete(operationId, tenant, oldCount, newCount, childStripe, parents);
    failpoints.hit("shard-split-post-complete");
  }

  /** Spreads the children over the nodes, schedules their secondaries, requests their reconcile. */
  public void placeChildren(long operationId, TenantId tenant, ShardCount newCount) {
    operations.phase(operationId, "reconciling_children");
    placement.spread(tenant, newCount);
    reconciles.request(tenant);
  }

  /** Detaches what is left of the parents on their pageservers (their secondaries mostly). */
  public void removeParentLocations(List<ParentShard> parents) {
    List<String> failures = new ArrayList<>();
    for (ParentShard parent : parents) {
      Set<NodeId> held = new LinkedHashSet<>();
      held.add(parent.node());
      held.addAll(parent.secondaries());
      for (NodeId node : held) {
        try {
          locations.detach(node, List.of(parent.id()));
        } catch (PageserverException e) {
          failures.add(e.getMessage());
        }
      }
    }
    if (!failures.isEmpty()) {
      throw StepFailure.retryLater(
          "PageserverUnavailable", "parent locations not removed: " + failures);
    }
  }

  /** Waits, a bounded time, for the children's pageservers to match their intent; true if so. */
  public boolean awaitChildrenReconciled(TenantId tenant) {
    return tenants.awaitReconciled(tenant, CHILDREN_RECONCILE_WAIT);
  }

  /** Tells the control plane where the children are. Never fails: the sweep resends. */
  public void notifyCompute(TenantId tenant) {
    notifications.notifyOrMarkPending(tenant);
  }

  /**
   * Undoes the split before its commit: the parents are idle again and get reattached. Returns true
   * when the split turns out to be committed, so it must be completed instead.
   */
  public boolean rollback(
      long operationId, TenantId tenant, ShardCount newCount, List<ParentShard> parents) {
    operations.phase(operationId, "rolling_back");
    SplitAbortOutcome outcome = splits.abort(tenant, newCount, parents);
    if (outcome != SplitAbortOutcome.COMMITTED && store.hasTenant(tenant)) {
      reconciles.request(tenant);
    }
    return outcome == SplitAbortOutcome.COMMITTED;
  }

  /** After a rollback: detaches the children the pageservers made. */
  public void removeChildLocations(List<ParentShard> parents, ShardCount newCount) {
    for (ParentShard parent : parents) {
      try {
        locations.detach(parent.node(), SplitChildren.of(parent.id(), newCount));
      } catch (PageserverException e) {
        throw StepFailure.retryLater(
            "PageserverUnavailable",
            "children of " + parent.id() + " not removed: " + e.getMessage());
      }
    }
  }

  /** Ends the operation row: state, error and final phase. */
  public void finish(long operationId, String state, String error, String phase) {
    operations.finish(operationId, state, error, phase);
  }
}
