package io.storagecontroller.optimiser;

import io.storagecontroller.model.NodeId;
import io.storagecontroller.model.TenantShardId;

/** One improvement the optimiser plans for one shard. */
public sealed interface Optimisation {
  TenantShardId shard();

  /**
   * Move the attachment by live migration: the destination is made a secondary and warmed first (at
   * once when it already is one), and the cut-over happens only once it is warm.
   */
  record MigrateAttachment(TenantShardId shard, NodeId from, NodeId to, Reason reason)
      implements Optimisation {}

  /** Drop a secondary the placement policy does not want (a migration's origin, say). */
  record RemoveSecondary(TenantShardId shard, NodeId node) implements Optimisation {}

  /** Why an attachment moves, most urgent first. */
  enum Reason {
    /** Attached outside the tenant's preferred AZ while a node there could take it. */
    HOME_AZ,
    /** On a node above its disk or shard-count limit. */
    OVERLOADED,
    /** Beside another shard of its tenant, with a node free of the tenant as light. */
    AFFINITY,
    /** On a node with at least two more attachments than another of its AZ. */
    BALANCE
  }
}
