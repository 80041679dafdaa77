package io.storagecontroller.tools.simulator;

import io.storagecontroller.model.Lsn;
import io.storagecontroller.model.TenantShardId;
import io.storagecontroller.model.TimelineId;
import io.storagecontroller.pageserver.TimelineInfo;
import java.time.Duration;
import java.time.Instant;
import java.util.Objects;

/**
 * A timeline as its remote storage describes it. Its WAL grows with wall time from its creation, so
 * every pageserver that attaches it, before or after a migration or restart, sees the same and
 * ever-advancing LSNs.
 */
record SimulatedTimeline(
    TimelineId id,
    TimelineId ancestorId,
    Lsn ancestorLsn,
    int pgVersion,
    Lsn startLsn,
    Instant createdAt) {

  /** Where initdb leaves a fresh Postgres 16/17 cluster. */
  static final Lsn INITDB_LSN = Lsn.of(0x169AD58L);

  /** 1 MiB of WAL per second: enough for tests lasting milliseconds to see LSNs move. */
  static final long WAL_BYTES_PER_MILLI = 1024;

  static SimulatedTimeline bootstrap(TimelineId id, int pgVersion, Instant now) {
    return new SimulatedTimeline(id, null, null, pgVersion, INITDB_LSN, now);
  }

  /** A branch at {@code startLsn}, or at the ancestor's current end of WAL when that is null. */
  static SimulatedTimeline branch(
      TimelineId id, SimulatedTimeline ancestor, Lsn startLsn, int pgVersion, Instant now) {
    Lsn start = startLsn != null ? startLsn : ancestor.lastRecordLsn(now);
    return new SimulatedTimeline(id, ancestor.id(), start, pgVersion, start, now);
  }

  /** Whether a create request for this id asks for what already exists (then it is idempotent). */
  boolean sameCreation(TimelineId ancestor, Lsn requestedStart, int requestedPgVersion) {
    return Objects.equals(ancestorId, ancestor)
        && (requestedStart == null || requestedStart.equals(ancestorLsn))
        && pgVersion == requestedPgVersion;
  }

  Lsn lastRecordLsn(Instant now) {
    long written = Math.max(0, Duration.between(createdAt, now).toMillis()) * WAL_BYTES_PER_MILLI;
    return Lsn.of(startLsn.value() + (written & ~7L));
  }

  /** When the WAL reaches {@code target}. */
  Instant reaches(Lsn target) {
    if (target.compareTo(startLsn) <= 0) {
      return createdAt;
    }
    long missing = target.value() - startLsn.value();
    if (missing < 0) {
      return Instant.MAX; // beyond 2^63 bytes of WAL: never in a simulation
    }
    return createdAt.plusMillis((missing + WAL_BYTES_PER_MILLI - 1) / WAL_BYTES_PER_MILLI);
  }

  TimelineInfo info(TenantShardId shard, Instant now, String state) {
    long last = lastRecordLsn(now).value();
    long written = last - startLsn.value();
    Lsn diskConsistent = Lsn.of(startLsn.value() + ((written * 9 / 10) & ~7L));
    return new TimelineInfo(
        shard.toString(),
        id,
        ancestorId,
        ancestorLsn,
        Lsn.of(last),
        Lsn.of(written >= 8 ? last - 8 : last),
        diskConsistent,
        diskConsistent,
        diskConsistent,
        startLsn,
        startLsn,
        INITDB_LSN,
        (32L << 20) + written / 2,
        (16L << 20) + written,
        pgVersion,
        state);
  }
}
