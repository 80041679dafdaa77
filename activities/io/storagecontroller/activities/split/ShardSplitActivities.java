package io.storagecontroller.activities.split;

import io.storagecontroller.model.TenantShardId;
import io.temporal.activity.ActivityInterface;
import io.temporal.activity.ActivityMethod;
import java.util.List;

/**
 * The steps of a shard split. Each records the operation's phase; each is safe to repeat. Failures
 * that must not be retried are non-retryable {@code ApplicationFailure}s: {@value #REFUSED} (the
 * split is not allowed; its first detail is the refusal's kind), {@value #ABORTED} (the commit
 * found the split rolled back). Activity types are prefixed {@code Split}: one task queue serves
 * every workflow, and names such as {@code Finish} are taken.
 */
@ActivityInterface(namePrefix = "Split")
public interface ShardSplitActivities {
  String REFUSED = "SplitRefused";
  String ABORTED = "SplitAborted";

  /** Validates and marks the parents splitting (database, then memory). */
  @ActivityMethod
  SplitPlan begin(SplitRequest request);

  /**
   * For a split committed before the controller restarted: the plan of what remains (the children,
   * no parents), once start-up has learnt what the pageservers hold.
   */
  @ActivityMethod
  SplitPlan resumePlan(SplitRequest request);

  /** Splits one parent on its pageserver, once; returns the children it reports. */
  @ActivityMethod
  List<TenantShardId> splitOnPageserver(SplitPlan plan, SplitParent parent);

  /** One transaction replaces the parents with the children; then memory. */
  @ActivityMethod
  void commit(SplitPlan plan);

  /** Spreads the children over the nodes, schedules their secondaries, requests their reconcile. */
  @ActivityMethod
  void placeChildren(SplitPlan plan);

  /** Detaches what is left of the parents on their pageservers (their secondaries mostly). */
  @ActivityMethod
  void removeParentLocations(SplitPlan plan);

  /** Waits, a bounded time, for the children's pageservers to match their intent; true if so. */
  @ActivityMethod
  boolean awaitChildrenReconciled(SplitPlan plan);

  /** Tells the control plane where the children are, with the tenant's stripe size. */
  @ActivityMethod
  void notifyCompute(SplitPlan plan);

  /**
   * Undoes the split before its commit: the parents are idle again and get reattached. Returns true
   * when the split turns out to be committed, so it must be completed instead.
   */
  @ActivityMethod
  boolean rollback(SplitPlan plan);

  /** After a rollback: detaches the children the pageservers made. */
  @ActivityMethod
  void removeChildLocations(SplitPlan plan);

  /** Ends the operation row: state, error and final phase. */
  @ActivityMethod
  void finish(long operationId, String state, String error, String phase);
}
