package io.storagecontroller.scheduler;

import io.storagecontroller.model.NodeAvailability;
import io.storagecontroller.model.NodeId;
import io.storagecontroller.model.NodeSchedulingPolicy;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Collections;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.stereotype.Component;

/**
 * Chooses the pageserver for each new shard location, from per-node counters that move with the
 * intents one change at a time. One instance lives as long as the service: rebuilding it per
 * operation would rescan every shard (O(N²) over a busy day).
 *
 * <p>Its counts move with every intent change, which the shard store makes under its monitor; the
 * methods are synchronized too (a leaf lock) so that dumps and metrics read a coherent node.
 */
@Component
public final class Scheduler {
  private static final Logger log = LoggerFactory.getLogger(Scheduler.class);

  private static final List<HardConstraint> HARD_CONSTRAINTS =
      List.of(new MaySchedule(), new NotExcluded());
  // Dropped for a decision when they would leave no candidate at all.
  private static final List<NodeFilter> PREFERENCES = List.of(new NotOverloaded());

  private final Map<NodeId, SchedulerNode> nodes = new HashMap<>();

  /** Adds the node or updates its description, keeping its counters and last utilization. */
  public synchronized void upsertNode(
      NodeId id, String az, NodeSchedulingPolicy scheduling, NodeAvailability availability) {
    upsert(id, az, scheduling, availability);
  }

  /** As the four-argument form, also replacing the utilization (null: unknown). */
  public synchronized void upsertNode(
      NodeId id,
      String az,
      NodeSchedulingPolicy scheduling,
      NodeAvailability availability,
      Utilization utilization) {
    upsert(id, az, scheduling, availability).setUtilization(utilization);
  }

  private SchedulerNode upsert(
      NodeId id, String az, NodeSchedulingPolicy scheduling, NodeAvailability availability) {
    Objects.requireNonNull(id, "id");
    Objects.requireNonNull(scheduling, "scheduling");
    Objects.requireNonNull(availability, "availability");
    SchedulerNode node = nodes.get(id);
    if (node == null) {
      node = new SchedulerNode(id, az, scheduling, availability, null);
      nodes.put(id, node);
    } else {
      node.describe(az, scheduling, availability);
    }
    return node;
  }

  /**
   * Forgets the node. Refused while intents still place shards on it: dereference it from every
   * intent first, or those intents could never release their counts.
   */
  public synchronized boolean removeNode(NodeId id) {
    SchedulerNode node = nodes.get(id);
    if (node == null) {
      return false;
    }
    if (node.shardCount() > 0) {
      throw new IllegalStateException(
          "cannot remove node "
              + id
              + " from the scheduler: "
              + node.shardCount()
              + " shard locations still reference it");
    }
    nodes.remove(id);
    return true;
  }

  /** Whether new locations may go to the node (unknown nodes: no). */
  public synchronized boolean mayScheduleOn(NodeId id) {
    SchedulerNode node = nodes.get(id);
    return node != null && node.maySchedule();
  }

  /**
   * Whether any node may take new locations. Check before demoting a failed node's shards: with
   * nothing schedulable, demoting would empty intents and detach tenants (Neon bug #8060).
   */
  public synchronized boolean hasSchedulableNode() {
    return nodes.values().stream().anyMatch(SchedulerNode::maySchedule);
  }

  public synchronized Optional<SchedulerNodeState> node(NodeId id) {
    return Optional.ofNullable(nodes.get(id)).map(SchedulerNode::state);
  }

  /**
   * The best node for an attached location. Does not count the location: that happens when an
   * intent takes the node.
   */
  public synchronized NodeId scheduleAttached(ScheduleRequest request) {
    return choose(LocationKind.ATTACHED, request);
  }

  /** The best node for a secondary location; like {@link #scheduleAttached} it counts nothing. */
  public synchronized NodeId scheduleSecondary(ScheduleRequest request) {
    return choose(LocationKind.SECONDARY, request);
  }

  private NodeId choose(LocationKind kind, ScheduleRequest request) {
    Collection<SchedulerNode> candidates = nodes.values();
    for (HardConstraint constraint : HARD_CONSTRAINTS) {
      List<SchedulerNode> admitted = admitted(candidates, constraint, request);
      if (admitted.isEmpty()) {
        ScheduleException failure = constraint.noneAdmitted(candidates, request);
        log.info("{} (excluding {}, {})", failure.getMessage(), request.exclude(), describeAll());
        throw failure;
      }
      candidates = admitted;
    }
    for (NodeFilter preference : PREFERENCES) {
      List<SchedulerNode> admitted = admitted(candidates, preference, request);
      if (!admitted.isEmpty()) {
        candidates = admitted;
      }
    }
    SchedulerNode best = candidates.stream().min(kind.order(request)).orElseThrow();
    if (log.isDebugEnabled()) {
      log.debug(
          "{} location: chose node {} with score {} (preferred AZ {}, excluding {}, {})",
          kind,
          best.id(),
          kind.score(best, request),
          request.preferredAz(),
          request.exclude(),
          request.context());
    }
    return best.id();
  }

  private static List<SchedulerNode> admitted(
      Collection<SchedulerNode> candidates, NodeFilter filter, ScheduleRequest request) {
    List<SchedulerNode> admitted = new ArrayList<>();
    for (SchedulerNode node : candidates) {
      if (filter.admits(node, request)) {
        admitted.add(node);
      }
    }
    return admitted;
  }

  /** The home AZ for a new tenant (all its shards share it), or null when no node has an AZ. */
  public synchronized String preferredAzForNewTenant() {
    return NewTenantAz.choose(nodes.values());
  }

  /**
   * Counts one intent change. Only {@code IntentState} may call this (an architecture test holds it
   * to that): anything else could leak a count. Throws before changing anything when the node is
   * unknown, so an intent never references a node the scheduler does not count.
   */
  public synchronized void updateRefCounts(NodeId id, String preferredAz, RefCountUpdate update) {
    SchedulerNode node = nodes.get(id);
    if (node == null) {
      throw new IllegalArgumentException("node " + id + " is not known to the scheduler");
    }
    node.apply(update, node.isHomeOf(preferredAz));
  }

  /** A shard using the node changed its preferred AZ; only {@code IntentState} may call this. */
  public synchronized void changePreferredAz(NodeId id, String fromAz, String toAz) {
    SchedulerNode node = nodes.get(id);
    if (node == null) {
      throw new IllegalArgumentException("node " + id + " is not known to the scheduler");
    }
    node.moveHome(node.isHomeOf(fromAz), node.isHomeOf(toAz));
  }

  /**
   * Recounts every node from all intents; returns one line per disagreement, empty when the
   * counters are right. Scans everything, so it is for the debug API and tests only.
   */
  public synchronized List<String> consistencyCheck(Iterable<? extends ShardLocations> allIntents) {
    return RefCountAudit.run(nodes, allIntents);
  }

  public synchronized SchedulerDump dump() {
    Map<String, SchedulerNodeState> byId = new LinkedHashMap<>();
    nodes.values().stream()
        .sorted(Comparator.comparing(SchedulerNode::id))
        .forEach(node -> byId.put(node.id().toString(), node.state()));
    return new SchedulerDump(Collections.unmodifiableMap(byId));
  }

  private String describeAll() {
    StringBuilder text = new StringBuilder("nodes:");
    nodes.values().stream()
        .sorted(Comparator.comparing(SchedulerNode::id))
        .forEach(
            node ->
                text.append(' ')
                    .append(node.id())
                    .append("{may_schedule=")
                    .append(node.maySchedule())
                    .append(", ")
                    .append(node.counts())
                    .append('}'));
    return text.toString();
  }
}
