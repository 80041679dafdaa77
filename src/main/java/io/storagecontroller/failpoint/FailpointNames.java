package io.storagecontroller.failpoint;

import java.util.List;

/**
 * Every failpoint the controller passes, in one place. Neon's names are kept where Neon has the
 * point (its tests configure them by name); the others follow its style. Each is hit once per pass
 * through the step it names; {@code sleepy} ones read {@code return(N)} as "sleep N ms".
 */
public final class FailpointNames {
  private FailpointNames() {}

  // Reconcile of one shard (ReconcileActivitiesImpl), in step order.

  /** Start of a shard's reconcile, before its plan is made. */
  public static final String RECONCILER_PROLOGUE = "reconciler-prologue";

  /** Neon: before the database issues the attached node a new generation. */
  public static final String RECONCILER_PRE_INCREMENT_GENERATION =
      "reconciler-pre-increment-generation";

  /** The new generation is committed (database and memory) but no pageserver has it yet. */
  public static final String RECONCILER_POST_INCREMENT_GENERATION =
      "reconciler-post-increment-generation";

  /** The attached location is right; secondaries and detaches are next. */
  public static final String RECONCILER_PRE_SECONDARIES = "reconciler-pre-secondaries";

  /** Neon: every location call of the reconcile is done; success is recorded next. */
  public static final String RECONCILER_EPILOGUE = "reconciler-epilogue";

  /** Before computes are told where a reconciled tenant is attached. */
  public static final String RECONCILER_PRE_COMPUTE_NOTIFY = "reconciler-pre-compute-notify";

  /**
   * A generation increment has committed, and its caller hears of a failure instead: the connection
   * lost during COMMIT, when nobody knows whether it landed (ShardStore).
   */
  public static final String GENERATION_COMMIT_ANSWER_LOST = "generation-commit-answer-lost";

  // Every location_config call (LocationWriter), whoever makes it.

  /** The location is marked unknown; the pageserver call is next. */
  public static final String LOCATION_CONFIG_PRE_CALL = "reconciler-pre-location-config";

  /** The pageserver accepted the location; the controller has not recorded it yet. */
  public static final String LOCATION_CONFIG_POST_CALL = "reconciler-post-location-config";

  // Live migration, in the reconcile's cut-over and in the migration workflow's activities, in
  // Neon's order (neon-behaviour section 2.3).

  /** Before the origin steps down to AttachedStale (not in Neon). */
  public static final String LIVE_MIGRATE_PRE_STEP_DOWN = "reconciler-live-migrate-pre-step-down";

  /** Neon: the origin is stale (and the destination warm); the generation increment is next. */
  public static final String LIVE_MIGRATE_PRE_GENERATION_INC =
      "reconciler-live-migrate-pre-generation-inc";

  /** Neon: the destination's generation is committed; its AttachedMulti call is next. */
  public static final String LIVE_MIGRATE_POST_GENERATION_INC =
      "reconciler-live-migrate-post-generation-inc";

  /** Neon: the destination is AttachedMulti; waiting for it to catch up is next. */
  public static final String LIVE_MIGRATE_PRE_AWAIT_LSN = "reconciler-live-migrate-pre-await-lsn";

  /** Neon: computes were told (or that was given up); the origin's demotion is next. */
  public static final String LIVE_MIGRATE_POST_NOTIFY = "reconciler-live-migrate-post-notify";

  /** Neon: the origin is a secondary; the destination becomes AttachedSingle next. */
  public static final String LIVE_MIGRATE_POST_DETACH = "reconciler-live-migrate-post-detach";

  /** Before a migration that failed or was cancelled gives the attachment back (not in Neon). */
  public static final String LIVE_MIGRATE_PRE_REVERT = "reconciler-live-migrate-pre-revert";

  // Drain and fill (RebalanceActivitiesImpl), once per round.

  /** Neon, sleepy: at the start of each drain round, before its migrations begin. */
  public static final String SLEEPY_DRAIN_LOOP = "sleepy-drain-loop";

  /** Sleepy: at the start of each fill round, before its migrations begin. */
  public static final String SLEEPY_FILL_LOOP = "sleepy-fill-loop";

  /** A drain round's moves are planned; none has begun. */
  public static final String DRAIN_POST_PLAN = "drain-post-plan";

  /** A fill round's moves are planned; none has begun. */
  public static final String FILL_POST_PLAN = "fill-post-plan";

  /** Before a drain or fill records its outcome and hands the node its final policy. */
  public static final String REBALANCE_PRE_FINISH = "node-rebalance-pre-finish";

  // Evacuation of an offline node (EvacuationActivitiesImpl).

  /** The offline node's shards are rescheduled and stored; the operation row is next. */
  public static final String EVACUATION_POST_PLAN = "evacuation-post-plan";

  /** Before each batch of evacuated tenants is reconciled. */
  public static final String EVACUATION_PRE_BATCH = "evacuation-pre-batch";

  /** Before a node deletion reconciles a batch of the tenants it moved off the node. */
  public static final String NODE_DELETE_PRE_BATCH = "node-delete-pre-batch";

  /** Before the evacuation's operation is recorded as succeeded. */
  public static final String EVACUATION_PRE_FINISH = "evacuation-pre-finish";

  // Shard split: Neon's names, for the split to pass (neon-behaviour section 5).

  /** Neon: validation, before anything is written (Neon answers 400 when it returns). */
  public static final String SHARD_SPLIT_VALIDATION = "shard-split-validation";

  /** Neon: the split is recorded as begun in the database. */
  public static final String SHARD_SPLIT_POST_BEGIN = "shard-split-post-begin";

  /** Neon: the pageservers have split. */
  public static final String SHARD_SPLIT_POST_REMOTE = "shard-split-post-remote";

  /** Neon, sleepy: after the pageservers have split. */
  public static final String SHARD_SPLIT_POST_REMOTE_SLEEP = "shard-split-post-remote-sleep";

  /** Neon: before the split is completed in the database. */
  public static final String SHARD_SPLIT_PRE_COMPLETE = "shard-split-pre-complete";

  /** Neon: a second point before completion, which its tests pause at. */
  public static final String SHARD_SPLIT_PRE_COMPLETE_PAUSE = "shard-split-pre-complete-pause";

  /** Neon: the split is complete in the database (a failure here fails forward). */
  public static final String SHARD_SPLIT_POST_COMPLETE = "shard-split-post-complete";

  // Timeline creation.

  /** After every shard's pageserver created the timeline, before their generations are re-read. */
  public static final String TIMELINE_CREATE_PRE_GENERATION_CHECK =
      "timeline-create-pre-generation-check";

  /** Every name above. */
  public static final List<String> ALL =
      List.of(
          RECONCILER_PROLOGUE,
          RECONCILER_PRE_INCREMENT_GENERATION,
          RECONCILER_POST_INCREMENT_GENERATION,
          GENERATION_COMMIT_ANSWER_LOST,
          RECONCILER_PRE_SECONDARIES,
          RECONCILER_EPILOGUE,
          RECONCILER_PRE_COMPUTE_NOTIFY,
          LOCATION_CONFIG_PRE_CALL,
          LOCATION_CONFIG_POST_CALL,
          LIVE_MIGRATE_PRE_STEP_DOWN,
          LIVE_MIGRATE_PRE_GENERATION_INC,
          LIVE_MIGRATE_POST_GENERATION_INC,
          LIVE_MIGRATE_PRE_AWAIT_LSN,
          LIVE_MIGRATE_POST_NOTIFY,
          LIVE_MIGRATE_POST_DETACH,
          LIVE_MIGRATE_PRE_REVERT,
          SLEEPY_DRAIN_LOOP,
          SLEEPY_FILL_LOOP,
          DRAIN_POST_PLAN,
          FILL_POST_PLAN,
          REBALANCE_PRE_FINISH,
          EVACUATION_POST_PLAN,
          EVACUATION_PRE_BATCH,
          NODE_DELETE_PRE_BATCH,
          EVACUATION_PRE_FINISH,
          SHARD_SPLIT_VALIDATION,
          SHARD_SPLIT_POST_BEGIN,
          SHARD_SPLIT_POST_REMOTE,
          SHARD_SPLIT_POST_REMOTE_SLEEP,
          SHARD_SPLIT_PRE_COMPLETE,
          SHARD_SPLIT_PRE_COMPLETE_PAUSE,
          SHARD_SPLIT_POST_COMPLETE,
          TIMELINE_CREATE_PRE_GENERATION_CHECK);
}
