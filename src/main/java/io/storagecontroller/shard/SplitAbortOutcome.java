package io.storagecontroller.shard;

/** What aborting a split found in the database. */
public enum SplitAbortOutcome {
  /** The parents were splitting and are idle again. */
  ROLLED_BACK,
  /**
   * The children had already replaced the parents: the commit landed (perhaps its answer was lost),
   * so the split is finished forward instead.
   */
  COMMITTED,
  /** Nothing was splitting: an earlier abort finished it, or the tenant is gone. */
  NOT_SPLITTING
}
