package io.storagecontroller.orchestration;

import io.storagecontroller.config.ControllerProperties;
import io.storagecontroller.evacuation.Evacuations;
import io.storagecontroller.model.NodeAvailability;
import io.storagecontroller.model.NodeId;
import io.storagecontroller.node.Node;
import io.storagecontroller.node.NodeService;
import io.storagecontroller.node.NodeWentOffline;
import io.storagecontroller.scheduler.Scheduler;
import io.storagecontroller.scheduler.SchedulerNodeState;
import io.storagecontroller.workflows.node.NodeEvacuationWorkflow;
import io.temporal.client.WorkflowClient;
import io.temporal.client.WorkflowExecutionAlreadyStarted;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.context.event.EventListener;
import org.springframework.stereotype.Component;

/**
 * Starts {@code node/<id>/evacuate}: at once when a node goes offline, and from the control loop
 * for every node that is offline and still holds attached shards, whatever event was missed (a node
 * dead across a restart never "goes" offline). One evacuation per node at a time.
 */
@Component
public class EvacuationTrigger {
  private static final Logger log = LoggerFactory.getLogger(EvacuationTrigger.class);

  /**
   * How long after a node's last evacuation the control loop waits before starting another while
   * the node is still offline with attached shards (say no other node could take them): long enough
   * not to fill the operations list, short enough that a fleet with room again recovers.
   */
  static final Duration RETRY_AFTER = Duration.ofMinutes(5);

  private final WorkflowStubs stubs;
  private final DirectEvacuation direct;
  private final NodeService nodes;
  private final Scheduler scheduler;
  private final Duration grace;
  private final Clock clock;
  private final Map<NodeId, Instant> offlineSince = new ConcurrentHashMap<>();
  private final Map<NodeId, Instant> lastStarted = new ConcurrentHashMap<>();

  @Autowired
  public EvacuationTrigger(
      WorkflowStubs stubs,
      DirectEvacuation direct,
      NodeService nodes,
      Scheduler scheduler,
      ControllerProperties properties) {
    this(stubs, direct, nodes, scheduler, properties.maxOfflineInterval(), Clock.systemUTC());
  }

  EvacuationTrigger(
      WorkflowStubs stubs,
      DirectEvacuation direct,
      NodeService nodes,
      Scheduler scheduler,
      Duration grace,
      Clock clock) {
    this.stubs = stubs;
    this.direct = direct;
    this.nodes = nodes;
    this.scheduler = scheduler;
    this.grace = grace;
    this.clock = clock;
  }

  @EventListener
  public void onNodeOffline(NodeWentOffline event) {
    start(event.nodeId(), "went offline");
  }

  /**
   * The level-triggered check: a node seen offline for at least {@code --max-offline-interval}
   * (counted from the first check that saw it so, so a node loaded Offline at start-up gets the
   * heartbeats' grace) that still has attached shards is evacuated.
   */
  public void evacuateOfflineNodes() {
    Instant now = clock.instant();
    for (Node node : nodes.list()) {
      NodeId id = node.id();
      if (node.availability() != NodeAvailability.OFFLINE) {
        offlineSince.remove(id);
        lastStarted.remove(id);
        continue;
      }
      Instant since = offlineSince.computeIfAbsent(id, n -> now);
      long attached = scheduler.node(id).map(SchedulerNodeState::attachedShardCount).orElse(0L);
      Instant last = lastStarted.get(id);
      if (attached == 0
          || Duration.between(since, now).compareTo(grace) < 0
          || (last != null && Duration.between(last, now).compareTo(RETRY_AFTER) < 0)) {
        continue;
      }
      start(id, "is offline with " + attached + " attached shards");
    }
  }

  private void start(NodeId node, String why) {
    lastStarted.put(node, clock.instant());
    if (direct.enabled()) {
      direct.start(node);
      return;
    }
    NodeEvacuationWorkflow workflow =
        stubs.urgent(
            NodeEvacuationWorkflow.class,
            NodeEvacuationWorkflow.workflowId(node),
            WorkflowTags.of(Evacuations.KIND).nodes(node));
    try {
      WorkflowClient.start(workflow::evacuate, node);
      log.info("node {} {}: evacuation started", node, why);
    } catch (WorkflowExecutionAlreadyStarted running) {
      log.info("node {} {}: evacuation already running", node, why);
    }
  }
}
