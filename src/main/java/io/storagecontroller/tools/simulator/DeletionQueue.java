package io.storagecontroller.tools.simulator;

import io.storagecontroller.model.Generation;
import io.storagecontroller.model.TenantShardId;
import io.storagecontroller.upcall.ValidateRequest;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.TimeUnit;

/**
 * A pageserver's pending remote deletions, as in Neon's deletion queue: each waits a little
 * (deletion takes time), is validated with the controller ({@code /upcall/v1/validate}) for the
 * generation it was issued under, and only then executes. A crash loses the queue, so those
 * deletions never run.
 */
final class DeletionQueue {
  /** Carries out a deletion once the verdict is known, recording it either way. */
  @FunctionalInterface
  interface Deletion {
    void complete(boolean execute, String reason);
  }

  static final String STALE = "deletion skipped: stale generation";

  private final FleetResources fleet;
  private final UpcallClient upcalls;
  private final Set<String> pending = new HashSet<>();
  private volatile boolean lost;

  DeletionQueue(FleetResources fleet, UpcallClient upcalls) {
    this.fleet = fleet;
    this.upcalls = upcalls;
  }

  /** Queues a deletion unless one with the same key is pending; returns whether it was queued. */
  boolean enqueue(String key, TenantShardId shard, Generation generation, Deletion deletion) {
    synchronized (pending) {
      if (lost || !pending.add(key)) {
        return false;
      }
    }
    fleet
        .timers()
        .schedule(
            () -> fleet.executor().execute(() -> run(key, shard, generation, deletion)),
            fleet.options().deletionTime().toNanos(),
            TimeUnit.NANOSECONDS);
    return true;
  }

  boolean isPending(String key) {
    synchronized (pending) {
      return pending.contains(key);
    }
  }

  /** The pageserver crashed: whatever is queued never executes. */
  void lose() {
    lost = true;
  }

  private void run(String key, TenantShardId shard, Generation generation, Deletion deletion) {
    try {
      if (generation == null) {
        complete(deletion, true, "no generation to validate");
      } else if (!upcalls.configured()) {
        complete(deletion, true, "no controller: assumed valid");
      } else {
        Optional<Map<TenantShardId, Boolean>> verdict =
            upcalls.validate(List.of(new ValidateRequest.Tenant(shard, generation.value())));
        if (verdict.isEmpty()) {
          complete(deletion, false, "deletion skipped: controller unreachable");
        } else if (verdict.get().getOrDefault(shard, false)) {
          complete(deletion, true, "validated");
        } else {
          complete(deletion, false, STALE);
        }
      }
    } finally {
      synchronized (pending) {
        pending.remove(key);
      }
    }
  }

  private void complete(Deletion deletion, boolean execute, String reason) {
    if (!lost) {
      deletion.complete(execute, reason);
    }
  }
}
