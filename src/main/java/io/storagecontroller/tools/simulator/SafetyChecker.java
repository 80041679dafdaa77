package io.storagecontroller.tools.simulator;

import io.storagecontroller.model.Generation;
import io.storagecontroller.model.LocationConfigMode;
import io.storagecontroller.model.NodeId;
import io.storagecontroller.model.TenantShardId;
import io.storagecontroller.tools.simulator.SafetyEvent.AvailabilityChange;
import io.storagecontroller.tools.simulator.SafetyEvent.LocationChange;
import io.storagecontroller.tools.simulator.SafetyEvent.RemoteDeletion;
import io.storagecontroller.tools.simulator.Violation.Invariant;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;

/**
 * The generation safety invariant, checked over a fleet's {@link SafetyRecorder} record in sequence
 * order. "Attached" means any of AttachedSingle, AttachedMulti and AttachedStale.
 *
 * <ol type="a">
 *   <li>{@link Invariant#UNIQUE_GENERATION}: for every shard S and generation g, every change that
 *       attaches S with generation g names the same node. Two nodes writing S's remote objects
 *       under one generation is the split brain generations exist to prevent.
 *   <li>{@link Invariant#SINGLE_ATTACHED}: whenever S is put into AttachedSingle on node X (X did
 *       not already hold S in AttachedSingle with that generation), no other node that is up holds
 *       S in AttachedSingle. A node that was down when it was superseded keeps its stale attachment
 *       until the controller reaches it again; the controller cannot prevent that and generations
 *       make it harmless, so only overlaps the controller creates count. "Up" starts when the
 *       controller can know it (the node answers a heartbeat or re-attaches), not when a healed
 *       partition puts it back on the network unseen, plus an optional notice: the time a
 *       controller is given to act on that answer (a decision already in flight when it arrives).
 *       Strict (no notice) by default.
 *   <li>{@link Invariant#VALIDATED_DELETION}: every remote deletion of S that executes runs from a
 *       generation at least as high as the highest generation S has been attached with anywhere in
 *       the fleet up to that moment. The fleet only sees the generations the controller issues when
 *       they reach a pageserver, so "issued" means "handed to some pageserver"; a pageserver that
 *       validates with the controller before deleting always satisfies this.
 * </ol>
 */
public final class SafetyChecker {
  private record ShardGeneration(TenantShardId shard, Generation generation) {}

  private final List<Violation> violations = new ArrayList<>();
  private final Map<ShardGeneration, NodeId> attachedBy = new HashMap<>();
  private final Map<TenantShardId, Map<NodeId, LocationChange>> holdings = new HashMap<>();
  private final Map<TenantShardId, Generation> highest = new HashMap<>();
  private final Set<NodeId> down = new HashSet<>();
  private final Map<NodeId, Instant> noticedAt = new HashMap<>();
  private final Duration notice;

  private SafetyChecker(Duration notice) {
    this.notice = notice;
  }

  /** Every violation in the record, in the order they happened; empty means safe. */
  public static List<Violation> check(List<SafetyEvent> events) {
    return check(events, Duration.ZERO);
  }

  /** As {@link #check(List)}, giving the controller {@code notice} to act on a node's return. */
  public static List<Violation> check(List<SafetyEvent> events, Duration notice) {
    SafetyChecker checker = new SafetyChecker(notice);
    events.stream().sorted(Comparator.comparingLong(SafetyEvent::sequence)).forEach(checker::apply);
    return List.copyOf(checker.violations);
  }

  private void apply(SafetyEvent event) {
    if (event instanceof LocationChange change) {
      applyLocation(change);
    } else if (event instanceof RemoteDeletion deletion) {
      applyDeletion(deletion);
    } else if (event instanceof AvailabilityChange availability) {
      if (availability.up()) {
        down.remove(availability.node());
        noticedAt.put(availability.node(), availability.at().plus(notice));
      } else {
        down.add(availability.node());
      }
    }
  }

  private void applyLocation(LocationChange change) {
    Map<NodeId, LocationChange> held =
        holdings.computeIfAbsent(change.shard(), s -> new HashMap<>());
    if (isAttached(change.mode()) && change.generation() != null) {
      NodeId first =
          attachedBy.putIfAbsent(
              new ShardGeneration(change.shard(), change.generation()), change.node());
      if (first != null && !first.equals(change.node())) {
        violations.add(
            violation(
                Invariant.UNIQUE_GENERATION,
                change,
                "generation "
                    + change.generation()
                    + " attached on node "
                    + change.node()
                    + " after node "
                    + first));
      }
      highest.merge(change.shard(), change.generation(), (a, b) -> a.compareTo(b) >= 0 ? a : b);
    }
    if (change.mode() == LocationConfigMode.ATTACHED_SINGLE && isNewSingle(held, change)) {
      held.forEach(
          (node, other) -> {
            if (!node.equals(change.node())
                && other.mode() == LocationConfigMode.ATTACHED_SINGLE
                && known(node, change.at())) {
              violations.add(
                  violation(
                      Invariant.SINGLE_ATTACHED,
                      change,
                      "node "
                          + change.node()
                          + " made AttachedSingle (generation "
                          + change.generation()
                          + ") while node "
                          + node
                          + " holds AttachedSingle (generation "
                          + other.generation()
                          + ")"));
            }
          });
    }
    if (change.mode() == LocationConfigMode.DETACHED) {
      held.remove(change.node());
    } else {
      held.put(change.node(), change);
    }
  }

  /** Up, and long enough that the controller has had its notice of it. */
  private boolean known(NodeId node, Instant at) {
    Instant noticed = noticedAt.get(node);
    return !down.contains(node) && (noticed == null || !at.isBefore(noticed));
  }

  private static boolean isNewSingle(Map<NodeId, LocationChange> held, LocationChange change) {
    LocationChange before = held.get(change.node());
    return before == null
        || before.mode() != LocationConfigMode.ATTACHED_SINGLE
        || !Objects.equals(before.generation(), change.generation());
  }

  private void applyDeletion(RemoteDeletion deletion) {
    Generation top = highest.get(deletion.shard());
    if (deletion.executed()
        && deletion.generation() != null
        && top != null
        && deletion.generation().compareTo(top) < 0) {
      violations.add(
          new Violation(
              Invariant.VALIDATED_DELETION,
              deletion.shard(),
              deletion.sequence(),
              "node "
                  + deletion.node()
                  + " deleted "
                  + deletion.what()
                  + " from generation "
                  + deletion.generation()
                  + " although generation "
                  + top
                  + " was issued"));
    }
  }

  private static Violation violation(Invariant invariant, LocationChange change, String detail) {
    return new Violation(invariant, change.shard(), change.sequence(), detail);
  }

  static boolean isAttached(LocationConfigMode mode) {
    return mode == LocationConfigMode.ATTACHED_SINGLE
        || mode == LocationConfigMode.ATTACHED_MULTI
        || mode == LocationConfigMode.ATTACHED_STALE;
  }
}
