package io.storagecontroller.orchestration;

import io.storagecontroller.heartbeat.Heartbeater;
import io.storagecontroller.leadership.LeaderLockLost;
import io.storagecontroller.leadership.Leadership;
import io.storagecontroller.pageserver.LocationConfig;
import io.storagecontroller.shard.ShardStore;
import io.storagecontroller.shard.ShardView;
import io.temporal.worker.WorkerFactory;
import java.time.Duration;
import java.util.LinkedHashMap;
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
 * lock, and answer with the observed state (Neon's {@code GlobalObservedState}). A repeated call
 * answers the same snapshot. From then on the HTTP layer forwards requests to the new leader.
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
  private Map<String, ObservedShard> snapshot;

  public StepDown(
      Leadership leadership,
      ControlLoop controlLoop,
      Heartbeater heartbeater,
      ObjectProvider<WorkerFactory> workers,
      ShardStore store) {
    this.leadership = leadership;
    this.controlLoop = controlLoop;
    this.heartbeater = heartbeater;
    this.workers = workers;
    this.store = store;
  }

  public synchronized Map<String, ObservedShard> stepDown() {
    if (snapshot != null) {
      return snapshot;
    }
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
    long stopped = System.nanoTime();
    snapshot = observedState();
    log.info(
        "work stopped in {} ms; observed state of {} shards taken in {} ms",
        (stopped - asked) / 1_000_000,
        snapshot.size(),
        (System.nanoTime() - stopped) / 1_000_000);
    leadership.stepDown();
    return snapshot;
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
  }

  private Map<String, ObservedShard> observedState() {
    Map<String, ObservedShard> state = new LinkedHashMap<>();
    for (ShardView shard : store.all()) {
      Map<String, ObservedLocation> locations = new LinkedHashMap<>();
      for (Map.Entry<?, Optional<LocationConfig>> e : shard.observed().entrySet()) {
        locations.put(e.getKey().toString(), new ObservedLocation(e.getValue().orElse(null)));
      }
      state.put(shard.id().toString(), new ObservedShard(locations));
    }
    return state;
  }
}
