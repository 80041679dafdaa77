package io.storagecontroller.tools.simulator;

import io.storagecontroller.model.Generation;
import io.storagecontroller.model.LocationConfigMode;
import io.storagecontroller.model.NodeId;
import io.storagecontroller.model.TenantShardId;
import java.time.Instant;

/**
 * One entry of the fleet's safety record. {@code sequence} orders entries across all pageservers
 * (instants can tie); entries are recorded at the moment the change takes effect.
 */
public sealed interface SafetyEvent {
  long sequence();

  Instant at();

  NodeId node();

  /**
   * A pageserver now holds {@code shard} in {@code mode} ({@code DETACHED}: no longer holds it).
   * {@code generation} is null for secondaries and detaches; {@code cause} says what made the
   * change, e.g. "location_config", "re-attach", "shard_split", "crash".
   */
  record LocationChange(
      long sequence,
      Instant at,
      NodeId node,
      TenantShardId shard,
      LocationConfigMode mode,
      Generation generation,
      String cause)
      implements SafetyEvent {}

  /**
   * A pageserver deleted ({@code executed}) or declined to delete remote objects of {@code shard}
   * (what: "timeline &lt;id&gt;" or "tenant") from {@code generation}; {@code reason} says why,
   * e.g. "validated", "no controller", "deletion skipped: stale generation".
   */
  record RemoteDeletion(
      long sequence,
      Instant at,
      NodeId node,
      TenantShardId shard,
      Generation generation,
      String what,
      boolean executed,
      String reason)
      implements SafetyEvent {}

  /**
   * A pageserver stopped answering (down fault, crash), or was heard from again after it came back
   * (its first successful answer, or its re-attach).
   */
  record AvailabilityChange(long sequence, Instant at, NodeId node, boolean up)
      implements SafetyEvent {}
}
