package io.storagecontroller.scheduler;

import io.storagecontroller.model.TenantShardId;

/**
 * No node can take the location. API callers get it as a 409; the message keeps Neon's wording and
 * adds why, so an operator can tell a dead fleet from an over-constrained shard.
 */
public abstract sealed class ScheduleException extends RuntimeException {
  private static final long serialVersionUID = 1L;

  private final String detail;

  private ScheduleException(String headline, TenantShardId shard, String detail) {
    super(
        "Scheduling error: "
            + headline
            + (shard == null ? "" : " for tenant shard " + shard)
            + ": "
            + detail);
    this.detail = detail;
  }

  /** The same failure, naming the shard that could not be placed. */
  public abstract ScheduleException forShard(TenantShardId shard);

  /** No registered node may take new locations at all (offline, paused, draining, ...). */
  public static final class NoPageservers extends ScheduleException {
    private static final long serialVersionUID = 1L;

    NoPageservers(String detail) {
      this(null, detail);
    }

    private NoPageservers(TenantShardId shard, String detail) {
      super("No pageservers found", shard, detail);
    }

    @Override
    public NoPageservers forShard(TenantShardId shard) {
      return new NoPageservers(shard, super.detail);
    }
  }

  /** Some nodes may take locations, but every one of them is excluded for this shard. */
  public static final class ImpossibleConstraint extends ScheduleException {
    private static final long serialVersionUID = 1L;

    ImpossibleConstraint(String detail) {
      this(null, detail);
    }

    private ImpossibleConstraint(TenantShardId shard, String detail) {
      super("No pageserver found matching constraint", shard, detail);
    }

    @Override
    public ImpossibleConstraint forShard(TenantShardId shard) {
      return new ImpossibleConstraint(shard, super.detail);
    }
  }
}
