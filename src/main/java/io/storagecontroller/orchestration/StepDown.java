package io.storagecontroller.orchestration;

import io.storagecontroller.drain.LiveMigrationWindow;
import io.storagecontroller.heartbeat.Heartbeater;
import io.storagecontroller.leadership.LeaderLockLost;
import io.storagecontroller.leadership.Leadership;
import io.storagecontroller.pageserver.LocationConfig;
import io.storagecontroller.shard.ShardStore;
import io.storagecontroller.shard.ShardView;
import io.storagecontroller.startup.BootId;
import io.temporal.worker.WorkerFactory;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.context.event.EventListener;
import org.springframework.stereotype.Component;

/**
 * {@code PUT /control/v1/step_down}, asked by a candidate: stop everything that acts on this
 * controller's memory (the control loop, heartbeats, the Temporal workers), give up the leader
 * lock, and answer with the observed state (Neon's {@code GlobalObservedState}), or only what
 * changed since a candidate read it ahead. A repeated call steps down no further and answers the
 * observed state again. From then on the HTTP layer forwards requests to the new leader.
 */
@Component
public class StepDown {
  private static final Logger log = LoggerFactory.getLogger(StepDown.class);

  /**
   * How long a step-down asked for waits for the reconciles and steps under way to finish (as Neon
   * waits for its reconcilers), so that the observed state it answers includes what they did; those
   * still running then go on, fenced by the next leader's term.
   */
  static final Duration IN_FLIGHT_WAIT = Duration.ofSeconds(3);

  /** Neon's {@code ObservedStateLocation}: one node's location of a shard. */
  public record ObservedLocation(LocationConfig conf) {}

  /** Neon's {@code ObservedState}: a shard's locations by node id. */
  public record ObservedShard(Map<String, ObservedLocation> locations) {}

  private final Leadership leadership;
  private final ControlLoop controlLoop;
  private final Heartbeater heartbeater;
  private final ObjectProvider<WorkerFactory> workers;
  private final ShardStore store;
  private final LiveMigrationWindow migrationWindows;
  private final BootId boot;
  private boolean steppedDown;

  public StepDown(
      Leadership leadership,
      ControlLoop controlLoop,
      Heartbeater heartbeater,
      ObjectProvider<WorkerFactory> workers,
      ShardStore store,
      LiveMigrationWindow migrationWindows,
      BootId boot) {
    this.boot = boot;
    this.migrationWindows = migrationWindows;
    this.leadership = leadership;
    this.controlLoop = controlLoop;
    this.heartbeater = heartbeater;
    this.workers = workers;
    this.store = store;
  }

  /**
   * The observed state now, and the mark it was taken at: a candidate reads it while this
   * controller still leads, then asks its step-down for only what changed since ({@link
   * #stepDown(Optional)}).
   */
  public Observed observedNow() {
    long mark = store.observationMark();
    return new Observed(boot.value() + "/" + mark, observedState(store.all()));
  }

  /** Observed state and the mark it is current since (shards changed after it may differ). */
  public record Observed(String mark, Map<String, ObservedShard> shards) {}

  /**
   * Steps down (once) and answers the observed state: all of it, or, given the mark of an {@link
   * #observedNow} of this process, only the shards whose observed state changed after it. Empty
   * {@code Observed.mark} when the answer is whole.
   */
  public synchronized Observed stepDown(Optional<String> since) {
    if (!steppedDown) {
      log.warn("asked to step down: stopping the control loop, heartbeats and workers");
      long asked = System.nanoTime();
      stopActing();
      workers.ifAvailable(
          factory -> {
            factory.awaitTermination(IN_FLIGHT_WAIT.toMillis(), TimeUnit.MILLISECONDS);
            if (!factory.isTerminated()) {
              // Not interrupted: whatever it still commits is refused by the next leader's term.
              log.warn("work under way still running after {}: answering anyway", IN_FLIGHT_WAIT);
            }
          });
      log.info("work stopped in {} ms", (System.nanoTime() - asked) / 1_000_000);
    }
    long taking = System.nanoTime();
    Optional<Long> mark = since.flatMap(this::ourMark);
    Observed answer =
        mark.map(m -> new Observed(since.get(), observedState(store.observedChangedSince(m))))
            .orElseGet(() -> new Observed("", observedState(store.all())));
    log.info(
        "observed state of {} shards{} taken in {} ms",
        answer.shards().size(),
        mark.isPresent() ? " (changed since " + since.get() + ")" : "",
        (System.nanoTime() - taking) / 1_000_000);
    if (!steppedDown) {
      steppedDown = true;
      leadership.stepDown();
    }
    return answer;
  }

  /** The clock value of a mark this process gave; empty for another process's (or garbage). */
  private Optional<Long> ourMark(String mark) {
    String prefix = boot.value() + "/";
    if (!mark.startsWith(prefix)) {
      return Optional.empty();
    }
    try {
      return Optional.of(Long.parseLong(mark.substring(prefix.length())));
    } catch (NumberFormatException e) {
      return Optional.empty();
    }
  }

  /**
   * Deposed without being asked (another controller took the lock while this one was frozen or cut
   * off): stops the same work. {@link Leadership} steps down once this returns.
   */
  @EventListener
  public synchronized void onLeaderLockLost(LeaderLockLost event) {
    log.warn("deposed: stopping the control loop, heartbeats and workers");
    stopActing();
  }

  /**
   * Stops the control loop, heartbeats and the Temporal workers' polling; the steps under way go
   * on, and whatever they try to commit is refused once the next leader has taken its term.
   */
  private void stopActing() {
    controlLoop.stop();
    heartbeater.stop();
    workers.ifAvailable(WorkerFactory::shutdown);
    // A drain's window runs its moves for up to minutes inside one activity, which the workers'
    // shutdown lets run on: it stops now, for the next leader to resume.
    migrationWindows.abandonAll();
  }

  private static Map<String, ObservedShard> observedState(List<ShardView> shards) {
    Map<String, ObservedShard> state = new LinkedHashMap<>();
    for (ShardView shard : shards) {
      Map<String, ObservedLocation> locations = new LinkedHashMap<>();
      for (Map.Entry<?, Optional<LocationConfig>> e : shard.observed().entrySet()) {
        locations.put(e.getKey().toString(), new ObservedLocation(e.getValue().orElse(null)));
      }
      state.put(shard.id().toString(), new ObservedShard(locations));
    }
    return state;
  }
}
