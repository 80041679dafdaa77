package io.storagecontroller.shard;

import static org.assertj.core.api.Assertions.assertThat;

import io.storagecontroller.model.NodeAvailability;
import io.storagecontroller.model.NodeId;
import io.storagecontroller.model.NodeSchedulingPolicy;
import io.storagecontroller.model.PlacementPolicy;
import io.storagecontroller.model.ShardSchedulingPolicy;
import io.storagecontroller.model.TenantId;
import io.storagecontroller.model.TenantShardId;
import io.storagecontroller.scheduler.ScheduleContext;
import io.storagecontroller.scheduler.ScheduleException;
import io.storagecontroller.scheduler.Scheduler;
import io.storagecontroller.scheduler.SchedulerNodeState;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashSet;
import java.util.List;
import java.util.Objects;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.IntRange;
import net.jqwik.api.constraints.Size;

/**
 * Whatever an intent is put through, successful or refused, the scheduler's counters equal a
 * recount from the intents, and an intent never holds one node twice.
 */
class IntentRefCountProperties {
  private static final TenantShardId SHARD =
      TenantShardId.unsharded(TenantId.parse("0123456789abcdef0123456789abcdef"));
  private static final String[] NODE_AZS = {"az-a", "az-a", "az-b", null};
  private static final String[] PREFERRED_AZS = {"az-a", "az-b", "az-c", null};
  private static final PlacementPolicy[] POLICIES = {
    PlacementPolicy.attached(0),
    PlacementPolicy.attached(1),
    PlacementPolicy.attached(3),
    PlacementPolicy.SECONDARY,
    PlacementPolicy.DETACHED
  };
  private static final int OPERATIONS = 12;
  private static final int INTENTS = 3;

  @Property(tries = 300)
  void refcountsEqualARecountAfterAnySequence(
      @ForAll @Size(max = 60) List<@IntRange(min = 0, max = 2879) Integer> operations) {
    Scheduler scheduler = new Scheduler();
    for (int n = 1; n <= NODE_AZS.length; n++) {
      scheduler.upsertNode(
          NodeId.of(n), NODE_AZS[n - 1], NodeSchedulingPolicy.ACTIVE, NodeAvailability.ACTIVE);
    }
    List<IntentState> intents = new ArrayList<>();
    for (int i = 0; i < INTENTS; i++) {
      intents.add(new IntentState(scheduler, PREFERRED_AZS[i]));
    }
    ScheduleContext context = new ScheduleContext();

    for (int code : operations) {
      int op = code % OPERATIONS;
      int which = code / OPERATIONS % INTENTS;
      NodeId node = NodeId.of(code / (OPERATIONS * INTENTS) % NODE_AZS.length + 1);
      int extra = code / (OPERATIONS * INTENTS * NODE_AZS.length) % 5;
      try {
        apply(scheduler, intents, which, op, node, extra, context);
      } catch (IllegalArgumentException | ScheduleException refused) {
        // Refusals are part of the public contract; they must not leak either.
      }
      assertConsistent(scheduler, intents);
    }
  }

  private static void apply(
      Scheduler scheduler,
      List<IntentState> intents,
      int which,
      int op,
      NodeId node,
      int extra,
      ScheduleContext context) {
    IntentState intent = intents.get(which);
    switch (op) {
      case 0 -> intent.setAttached(node);
      case 1 -> intent.clearAttached();
      case 2 -> intent.addSecondary(node);
      case 3 -> intent.removeSecondary(node);
      case 4 -> intent.promoteSecondary(node);
      case 5 -> intent.demoteAttached();
      case 6 -> intent.clear();
      case 7 -> intent.derefNode(node);
      case 8 -> intent.setPreferredAz(PREFERRED_AZS[extra % PREFERRED_AZS.length]);
      case 9 -> intent.schedule(SHARD, POLICIES[extra], ShardSchedulingPolicy.ACTIVE, context);
      case 10 ->
          scheduler.upsertNode(
              node,
              NODE_AZS[(int) node.value() - 1],
              extra % 2 == 0 ? NodeSchedulingPolicy.ACTIVE : NodeSchedulingPolicy.PAUSE,
              extra < 3 ? NodeAvailability.ACTIVE : NodeAvailability.OFFLINE);
      default -> {
        // The shard is dropped and a new one takes its place.
        intent.clear();
        intents.set(which, new IntentState(scheduler, PREFERRED_AZS[extra % 4]));
      }
    }
  }

  private static void assertConsistent(Scheduler scheduler, List<IntentState> intents) {
    assertThat(scheduler.consistencyCheck(intents)).isEmpty();
    for (IntentState intent : intents) {
      assertThat(new HashSet<>(intent.allNodes())).hasSameSizeAs(intent.allNodes());
    }
    // An independent recount, in case the check and the counters shared a mistake.
    for (int n = 1; n <= NODE_AZS.length; n++) {
      NodeId node = NodeId.of(n);
      long[] expected = new long[3];
      for (IntentState intent : intents) {
        if (intent.allNodes().contains(node)) {
          expected[0]++;
          expected[1] += node.equals(intent.attached()) ? 1 : 0;
          expected[2] +=
              Objects.equals(NODE_AZS[n - 1], intent.preferredAz()) && intent.preferredAz() != null
                  ? 1
                  : 0;
        }
      }
      SchedulerNodeState state = scheduler.node(node).orElseThrow();
      assertThat(
              new long[] {state.shardCount(), state.attachedShardCount(), state.homeShardCount()})
          .as("counts of node %s: %s", node, Arrays.toString(expected))
          .containsExactly(expected);
    }
  }
}
