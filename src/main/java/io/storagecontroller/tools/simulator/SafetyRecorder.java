package io.storagecontroller.tools.simulator;

import io.storagecontroller.model.Generation;
import io.storagecontroller.model.LocationConfigMode;
import io.storagecontroller.model.NodeId;
import io.storagecontroller.model.TenantShardId;
import io.storagecontroller.tools.simulator.SafetyEvent.AvailabilityChange;
import io.storagecontroller.tools.simulator.SafetyEvent.LocationChange;
import io.storagecontroller.tools.simulator.SafetyEvent.RemoteDeletion;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/**
 * The fleet-wide record of every location change, remote deletion and availability change, for
 * tests and benchmarks to check with {@link #violations()} (the invariant is stated on {@link
 * SafetyChecker}). Entries may also be planted directly, to test a checker's eye.
 */
public final class SafetyRecorder {
  private final Clock clock;
  private final List<SafetyEvent> events = new ArrayList<>();
  private final List<Promotion> promotions = new ArrayList<>();

  /**
   * A secondary location turned into an attachment; {@code warm} when its download of the heatmap's
   * layers had completed by then (a cold one serves reads from remote storage until it catches up).
   */
  public record Promotion(NodeId node, TenantShardId shard, boolean warm) {}

  public SafetyRecorder(Clock clock) {
    this.clock = clock;
  }

  public SafetyRecorder() {
    this(Clock.systemUTC());
  }

  public synchronized LocationChange location(
      NodeId node,
      TenantShardId shard,
      LocationConfigMode mode,
      Generation generation,
      String cause) {
    LocationChange change =
        new LocationChange(events.size(), clock.instant(), node, shard, mode, generation, cause);
    events.add(change);
    return change;
  }

  public synchronized RemoteDeletion deletion(
      NodeId node,
      TenantShardId shard,
      Generation generation,
      String what,
      boolean executed,
      String reason) {
    RemoteDeletion deletion =
        new RemoteDeletion(
            events.size(), clock.instant(), node, shard, generation, what, executed, reason);
    events.add(deletion);
    return deletion;
  }

  public synchronized void promoted(NodeId node, TenantShardId shard, boolean warm) {
    promotions.add(new Promotion(node, shard, warm));
  }

  /** Every secondary that became an attachment, in order. */
  public synchronized List<Promotion> promotions() {
    return List.copyOf(promotions);
  }

  public synchronized AvailabilityChange availability(NodeId node, boolean up) {
    AvailabilityChange change = new AvailabilityChange(events.size(), clock.instant(), node, up);
    events.add(change);
    return change;
  }

  /** The whole record so far, in sequence order. */
  public synchronized List<SafetyEvent> events() {
    return List.copyOf(events);
  }

  public List<LocationChange> locationChanges() {
    return events().stream()
        .filter(LocationChange.class::isInstance)
        .map(LocationChange.class::cast)
        .toList();
  }

  public List<RemoteDeletion> deletions() {
    return events().stream()
        .filter(RemoteDeletion.class::isInstance)
        .map(RemoteDeletion.class::cast)
        .toList();
  }

  /** Breaches of the invariant so far; empty means the fleet has been safe. */
  public List<Violation> violations() {
    return SafetyChecker.check(events());
  }

  /** As {@link #violations()}, giving the controller {@code notice} to act on a node's return. */
  public List<Violation> violations(Duration notice) {
    return SafetyChecker.check(events(), notice);
  }
}
