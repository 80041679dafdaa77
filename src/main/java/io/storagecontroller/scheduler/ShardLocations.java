package io.storagecontroller.scheduler;

import io.storagecontroller.model.NodeId;
import java.util.List;

/** What the consistency check reads from a shard's intent; {@code IntentState} provides it. */
public interface ShardLocations {
  /** The attached node, or null. */
  NodeId attached();

  List<NodeId> secondaries();

  /** The shard's home AZ, or null. */
  String preferredAz();
}
