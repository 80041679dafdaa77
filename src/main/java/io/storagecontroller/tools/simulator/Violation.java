package io.storagecontroller.tools.simulator;

import io.storagecontroller.model.TenantShardId;

/** A breach of one of the invariants {@link SafetyChecker} states, at one event of the record. */
public record Violation(Invariant invariant, TenantShardId shard, long sequence, String detail) {

  /** The three invariants, as stated on {@link SafetyChecker}. */
  public enum Invariant {
    /** (a) a (shard, generation) is attached on at most one node, ever. */
    UNIQUE_GENERATION,
    /** (b) no shard is put in AttachedSingle while another reachable node holds it so. */
    SINGLE_ATTACHED,
    /** (c) remote deletions only run from the highest generation issued so far. */
    VALIDATED_DELETION
  }

  @Override
  public String toString() {
    return invariant + " " + shard + " at #" + sequence + ": " + detail;
  }
}
