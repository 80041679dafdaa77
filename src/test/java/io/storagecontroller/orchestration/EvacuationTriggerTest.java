package io.storagecontroller.orchestration;

import static org.mockito.Mockito.mock;
import static org.mockito.Mockito.never;
import static org.mockito.Mockito.times;
import static org.mockito.Mockito.verify;
import static org.mockito.Mockito.when;

import io.storagecontroller.model.NodeAvailability;
import io.storagecontroller.model.NodeId;
import io.storagecontroller.model.NodeLifecycle;
import io.storagecontroller.model.NodeSchedulingPolicy;
import io.storagecontroller.node.Node;
import io.storagecontroller.node.NodeService;
import io.storagecontroller.scheduler.RefCountUpdate;
import io.storagecontroller.scheduler.Scheduler;
import io.storagecontroller.scheduler.SchedulerNodeState;
import io.storagecontroller.testing.ManualClock;
import io.temporal.client.WorkflowClient;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The control loop's evacuation is level-triggered: a node offline past the grace with attached
 * shards is evacuated though no "went offline" event was ever seen (dead across a restart).
 */
class EvacuationTriggerTest {
  private static final NodeId DEAD = NodeId.of(7);
  private static final Duration GRACE = Duration.ofSeconds(30);

  private final NodeService nodes = mock(NodeService.class);
  private final Scheduler scheduler = new Scheduler();
  private final DirectEvacuation direct = mock(DirectEvacuation.class);
  private final ManualClock clock = new ManualClock(Instant.parse("2026-01-01T00:00:00Z"));
  private EvacuationTrigger trigger;

  @BeforeEach
  void fleet() {
    when(direct.enabled()).thenReturn(true);
    trigger =
        new EvacuationTrigger(
            WorkflowStubs.untagged(mock(WorkflowClient.class)),
            direct,
            nodes,
            scheduler,
            GRACE,
            clock);
    scheduler.upsertNode(DEAD, "az", NodeSchedulingPolicy.ACTIVE, NodeAvailability.OFFLINE);
    attached(3);
  }

  @Test
  void aNodeOfflineWithAttachedShardsIsEvacuatedOnceItsGraceHasPassed() {
    availability(NodeAvailability.OFFLINE);
    trigger.evacuateOfflineNodes();
    verify(direct, never()).start(DEAD);

    clock.advance(GRACE);
    trigger.evacuateOfflineNodes();
    verify(direct).start(DEAD);

    // Still offline with shards it could not give away: asked again only after a while.
    clock.advance(Duration.ofSeconds(20));
    trigger.evacuateOfflineNodes();
    verify(direct, times(1)).start(DEAD);
    clock.advance(EvacuationTrigger.RETRY_AFTER);
    trigger.evacuateOfflineNodes();
    verify(direct, times(2)).start(DEAD);
  }

  @Test
  void aNodeThatAnswersOrHoldsNothingIsLeftAlone() {
    availability(NodeAvailability.ACTIVE);
    trigger.evacuateOfflineNodes();
    clock.advance(GRACE.multipliedBy(2));
    trigger.evacuateOfflineNodes();

    availability(NodeAvailability.OFFLINE);
    attached(0);
    trigger.evacuateOfflineNodes();
    clock.advance(GRACE.multipliedBy(2));
    trigger.evacuateOfflineNodes();

    verify(direct, never()).start(DEAD);
  }

  private void availability(NodeAvailability availability) {
    when(nodes.list())
        .thenReturn(
            List.of(
                new Node(
                    DEAD, null, NodeSchedulingPolicy.ACTIVE, NodeLifecycle.ACTIVE, availability)));
  }

  /** Sets how many shards the scheduler counts as attached to the node. */
  private void attached(long shards) {
    long now = scheduler.node(DEAD).map(SchedulerNodeState::attachedShardCount).orElseThrow();
    for (; now < shards; now++) {
      scheduler.updateRefCounts(DEAD, "az", RefCountUpdate.ATTACH);
    }
    for (; now > shards; now--) {
      scheduler.updateRefCounts(DEAD, "az", RefCountUpdate.DETACH);
    }
  }
}
