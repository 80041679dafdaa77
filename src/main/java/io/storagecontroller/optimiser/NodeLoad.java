package io.storagecontroller.optimiser;

import io.storagecontroller.model.NodeId;

/**
 * A pageserver as the optimiser plans with it.
 *
 * @param maySchedule available and Active (the scheduler's may_schedule): the only nodes the
 *     optimiser moves shards from or to
 * @param overloaded above its disk or shard-count limit, as its last heartbeat reported: it gets no
 *     shard and is relieved first
 */
public record NodeLoad(NodeId id, String az, boolean maySchedule, boolean overloaded) {
  /** Whether the optimiser may move an attachment here. */
  boolean receives() {
    return maySchedule && !overloaded;
  }
}
