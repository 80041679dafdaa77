package io.storagecontroller.scheduler;

import static io.storagecontroller.model.NodeAvailability.ACTIVE;
import static io.storagecontroller.model.NodeAvailability.OFFLINE;
import static io.storagecontroller.model.NodeAvailability.WARMING_UP;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;
import static org.assertj.core.api.Assertions.assertThatIllegalStateException;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.storagecontroller.model.NodeId;
import io.storagecontroller.model.NodeSchedulingPolicy;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.PropertyNamingStrategies;
import tools.jackson.databind.json.JsonMapper;

class SchedulerTest {
  private final Scheduler scheduler = new Scheduler();

  private static NodeId id(long value) {
    return NodeId.of(value);
  }

  private void activeNode(long id, String az) {
    scheduler.upsertNode(id(id), az, NodeSchedulingPolicy.ACTIVE, ACTIVE);
  }

  private void place(long node, RefCountUpdate update, int times) {
    for (int i = 0; i < times; i++) {
      scheduler.updateRefCounts(id(node), null, update);
    }
  }

  private static ScheduleRequest inAz(String az) {
    return new ScheduleRequest(Set.of(), az, new ScheduleContext());
  }

  @Test
  void fewestAttachedShardsWins() {
    activeNode(1, null);
    activeNode(2, null);
    activeNode(3, null);
    place(1, RefCountUpdate.ATTACH, 2);
    place(2, RefCountUpdate.ATTACH, 1);
    place(3, RefCountUpdate.ATTACH, 3);

    assertThat(scheduler.scheduleAttached(ScheduleRequest.anywhere())).isEqualTo(id(2));
  }

  @Test
  void secondariesGoWhereFewestShardsAre() {
    activeNode(1, null);
    activeNode(2, null);
    place(1, RefCountUpdate.ADD_SECONDARY, 2);
    place(2, RefCountUpdate.ADD_SECONDARY, 1);

    assertThat(scheduler.scheduleSecondary(ScheduleRequest.anywhere())).isEqualTo(id(2));
  }

  @Test
  void equalNodesAreChosenByLowestId() {
    activeNode(3, null);
    activeNode(1, null);
    activeNode(2, null);

    assertThat(scheduler.scheduleAttached(ScheduleRequest.anywhere())).isEqualTo(id(1));
    assertThat(scheduler.scheduleSecondary(ScheduleRequest.anywhere())).isEqualTo(id(1));
  }

  @Test
  void theTenantsOwnLocationsOutweighTotalLoad() {
    activeNode(1, null);
    activeNode(2, null);
    place(2, RefCountUpdate.ATTACH, 10);
    ScheduleContext context = new ScheduleContext();
    context.avoid(id(1));

    assertThat(scheduler.scheduleAttached(new ScheduleRequest(Set.of(), null, context)))
        .isEqualTo(id(2));
  }

  @Test
  void excludedNodesAreNeverChosen() {
    activeNode(1, null);
    activeNode(2, null);
    place(2, RefCountUpdate.ATTACH, 10);

    assertThat(
            scheduler.scheduleSecondary(
                new ScheduleRequest(Set.of(id(1)), null, new ScheduleContext())))
        .isEqualTo(id(2));
  }

  @Test
  void pausedDrainingAndOfflineNodesAreNotChosen() {
    scheduler.upsertNode(id(1), null, NodeSchedulingPolicy.PAUSE, ACTIVE);
    scheduler.upsertNode(id(2), null, NodeSchedulingPolicy.DRAINING, ACTIVE);
    scheduler.upsertNode(id(3), null, NodeSchedulingPolicy.ACTIVE, OFFLINE);
    scheduler.upsertNode(id(4), null, NodeSchedulingPolicy.PAUSE_FOR_RESTART, ACTIVE);
    scheduler.upsertNode(id(5), null, NodeSchedulingPolicy.ACTIVE, WARMING_UP);
    scheduler.upsertNode(id(9), null, NodeSchedulingPolicy.FILLING, ACTIVE);
    place(9, RefCountUpdate.ATTACH, 100);

    assertThat(scheduler.scheduleAttached(ScheduleRequest.anywhere())).isEqualTo(id(9));
    assertThat(scheduler.mayScheduleOn(id(1))).isFalse();
    assertThat(scheduler.mayScheduleOn(id(9))).isTrue();
    assertThat(scheduler.mayScheduleOn(id(77))).isFalse();
  }

  @Test
  void attachedLocationsPreferTheHomeAzOverLoad() {
    activeNode(1, "az-a");
    activeNode(2, "az-b");
    place(2, RefCountUpdate.ATTACH, 5);

    assertThat(scheduler.scheduleAttached(inAz("az-b"))).isEqualTo(id(2));
  }

  @Test
  void secondariesAvoidTheHomeAz() {
    activeNode(1, "az-a");
    activeNode(2, "az-b");
    place(2, RefCountUpdate.ADD_SECONDARY, 5);

    assertThat(scheduler.scheduleSecondary(inAz("az-a"))).isEqualTo(id(2));
  }

  @Test
  void aNodeOfUnknownAzBeatsAnotherAzForAttachment() {
    activeNode(1, "az-b");
    activeNode(2, null);

    assertThat(scheduler.scheduleAttached(inAz("az-a"))).isEqualTo(id(2));
  }

  @Test
  void overloadedNodesAreAvoidedEvenInTheHomeAz() {
    scheduler.upsertNode(
        id(1), "az-a", NodeSchedulingPolicy.ACTIVE, ACTIVE, Utilization.of(0, 1, 25, 10));
    scheduler.upsertNode(
        id(2), "az-b", NodeSchedulingPolicy.ACTIVE, ACTIVE, Utilization.of(0, 1, 9, 10));

    assertThat(scheduler.scheduleAttached(inAz("az-a"))).isEqualTo(id(2));
  }

  @Test
  void anOverloadedNodeIsUsedWhenItIsTheOnlyOne() {
    scheduler.upsertNode(
        id(1), null, NodeSchedulingPolicy.ACTIVE, ACTIVE, Utilization.of(0, 1, 25, 10));

    assertThat(scheduler.scheduleAttached(ScheduleRequest.anywhere())).isEqualTo(id(1));
  }

  @Test
  void lowerUtilizationWinsOverFewerAttachedShards() {
    scheduler.upsertNode(
        id(1), null, NodeSchedulingPolicy.ACTIVE, ACTIVE, Utilization.of(90, 100, 0, 10));
    scheduler.upsertNode(
        id(2), null, NodeSchedulingPolicy.ACTIVE, ACTIVE, Utilization.of(10, 100, 0, 10));
    place(2, RefCountUpdate.ATTACH, 3);

    assertThat(scheduler.scheduleAttached(ScheduleRequest.anywhere())).isEqualTo(id(2));
  }

  @Test
  void placedLocationsRaiseTheCachedUtilization() {
    scheduler.upsertNode(
        id(1), null, NodeSchedulingPolicy.ACTIVE, ACTIVE, Utilization.of(0, 100, 0, 10));
    place(1, RefCountUpdate.ATTACH, 3);

    assertThat(scheduler.node(id(1)).orElseThrow().utilizationScore()).isEqualTo(300_000);

    // A heartbeat that has not seen the new shards yet does not lower it.
    scheduler.upsertNode(
        id(1), null, NodeSchedulingPolicy.ACTIVE, ACTIVE, Utilization.of(0, 100, 1, 10));
    assertThat(scheduler.node(id(1)).orElseThrow().utilizationScore()).isEqualTo(300_000);
  }

  @Test
  void nothingSchedulableIsNoPageserversWithTheReason() {
    scheduler.upsertNode(id(1), null, NodeSchedulingPolicy.ACTIVE, OFFLINE);
    scheduler.upsertNode(id(2), null, NodeSchedulingPolicy.ACTIVE, OFFLINE);
    scheduler.upsertNode(id(3), null, NodeSchedulingPolicy.PAUSE, ACTIVE);

    assertThatThrownBy(() -> scheduler.scheduleAttached(ScheduleRequest.anywhere()))
        .isInstanceOf(ScheduleException.NoPageservers.class)
        .hasMessageContaining("3 registered, none schedulable (Offline: 2, Pause: 1)");
    assertThat(scheduler.hasSchedulableNode()).isFalse();
  }

  @Test
  void noNodesAtAllIsNoPageservers() {
    assertThatThrownBy(() -> scheduler.scheduleSecondary(ScheduleRequest.anywhere()))
        .isInstanceOf(ScheduleException.NoPageservers.class)
        .hasMessage("Scheduling error: No pageservers found: none registered");
  }

  @Test
  void everyCandidateExcludedIsImpossibleConstraint() {
    activeNode(1, null);
    activeNode(2, null);
    scheduler.upsertNode(id(3), null, NodeSchedulingPolicy.DRAINING, ACTIVE);

    assertThatThrownBy(
            () ->
                scheduler.scheduleSecondary(
                    new ScheduleRequest(Set.of(id(1), id(2)), null, new ScheduleContext())))
        .isInstanceOf(ScheduleException.ImpossibleConstraint.class)
        .hasMessageContaining("(1, 2) is already used by this shard");
  }

  @Test
  void schedulingDoesNotCountTheLocation() {
    activeNode(1, null);
    scheduler.scheduleAttached(ScheduleRequest.anywhere());

    assertThat(scheduler.node(id(1)).orElseThrow().shardCount()).isZero();
  }

  @Test
  void homeShardsAreCountedAgainstTheShardsPreferredAz() {
    activeNode(1, "az-a");
    scheduler.updateRefCounts(id(1), "az-a", RefCountUpdate.ATTACH);
    scheduler.updateRefCounts(id(1), "az-b", RefCountUpdate.ADD_SECONDARY);
    scheduler.updateRefCounts(id(1), null, RefCountUpdate.ADD_SECONDARY);

    SchedulerNodeState state = scheduler.node(id(1)).orElseThrow();
    assertThat(state.shardCount()).isEqualTo(3);
    assertThat(state.attachedShardCount()).isEqualTo(1);
    assertThat(state.homeShardCount()).isEqualTo(1);

    scheduler.changePreferredAz(id(1), "az-b", "az-a");
    assertThat(scheduler.node(id(1)).orElseThrow().homeShardCount()).isEqualTo(2);
  }

  @Test
  void countingOnAnUnknownNodeIsRefused() {
    assertThatIllegalArgumentException()
        .isThrownBy(() -> scheduler.updateRefCounts(id(5), null, RefCountUpdate.ATTACH))
        .withMessage("node 5 is not known to the scheduler");
  }

  @Test
  void countsNeverGoNegative() {
    activeNode(1, null);
    assertThatIllegalStateException()
        .isThrownBy(() -> scheduler.updateRefCounts(id(1), null, RefCountUpdate.DETACH));
    assertThat(scheduler.node(id(1)).orElseThrow().shardCount()).isZero();
  }

  @Test
  void aReferencedNodeCannotBeRemovedOrMovedToAnotherAz() {
    activeNode(1, "az-a");
    place(1, RefCountUpdate.ADD_SECONDARY, 1);

    assertThatIllegalStateException()
        .isThrownBy(() -> scheduler.removeNode(id(1)))
        .withMessageContaining("1 shard locations still reference it");
    assertThatIllegalStateException().isThrownBy(() -> activeNode(1, "az-b"));

    place(1, RefCountUpdate.REMOVE_SECONDARY, 1);
    activeNode(1, "az-b");
    assertThat(scheduler.removeNode(id(1))).isTrue();
    assertThat(scheduler.removeNode(id(1))).isFalse();
    assertThat(scheduler.node(id(1))).isEmpty();
  }

  @Test
  void upsertKeepsCountsAndUtilization() {
    scheduler.upsertNode(
        id(1), "az-a", NodeSchedulingPolicy.ACTIVE, ACTIVE, Utilization.of(50, 100, 0, 10));
    place(1, RefCountUpdate.ATTACH, 2);
    scheduler.upsertNode(id(1), "az-a", NodeSchedulingPolicy.DRAINING, ACTIVE);

    SchedulerNodeState state = scheduler.node(id(1)).orElseThrow();
    assertThat(state.attachedShardCount()).isEqualTo(2);
    assertThat(state.utilizationScore()).isEqualTo(500_000);
    assertThat(state.maySchedule()).isFalse();
    assertThat(state.scheduling()).isEqualTo(NodeSchedulingPolicy.DRAINING);
  }

  @Test
  void newTenantsGoToTheAzWithFewestHomeShardsPerNode() {
    activeNode(1, "az-a");
    activeNode(2, "az-a");
    activeNode(3, "az-b");
    // az-a: 3 home shards over 2 nodes; az-b: 2 over 1 node.
    for (int i = 0; i < 3; i++) {
      scheduler.updateRefCounts(id(1 + i % 2), "az-a", RefCountUpdate.ATTACH);
    }
    scheduler.updateRefCounts(id(3), "az-b", RefCountUpdate.ATTACH);
    scheduler.updateRefCounts(id(3), "az-b", RefCountUpdate.ATTACH);

    assertThat(scheduler.preferredAzForNewTenant()).isEqualTo("az-a");
  }

  @Test
  void newTenantAzTiesGoByName() {
    activeNode(2, "az-b");
    activeNode(1, "az-c");
    activeNode(3, "az-a");

    assertThat(scheduler.preferredAzForNewTenant()).isEqualTo("az-a");
  }

  @Test
  void newTenantsAvoidAzsWhereNothingMaySchedule() {
    scheduler.upsertNode(id(1), "az-a", NodeSchedulingPolicy.ACTIVE, OFFLINE);
    activeNode(2, "az-b");
    scheduler.updateRefCounts(id(2), "az-b", RefCountUpdate.ATTACH);

    assertThat(scheduler.preferredAzForNewTenant()).isEqualTo("az-b");
  }

  @Test
  void newTenantAzIsNullWithoutAzs() {
    assertThat(scheduler.preferredAzForNewTenant()).isNull();
    activeNode(1, null);
    assertThat(scheduler.preferredAzForNewTenant()).isNull();
  }

  @Test
  void dumpListsEveryNodeInIdOrder() {
    activeNode(10, "az-a");
    activeNode(2, null);
    place(10, RefCountUpdate.ATTACH, 1);

    SchedulerDump dump = scheduler.dump();

    assertThat(dump.nodes().keySet()).containsExactly("2", "10");
    assertThat(dump.nodes().get("10"))
        .isEqualTo(
            new SchedulerNodeState(
                id(10), "az-a", NodeSchedulingPolicy.ACTIVE, ACTIVE, true, 1, 1, 0, null));
  }

  @Test
  void dumpIsSnakeCaseJson() {
    scheduler.upsertNode(
        id(1), "az-a", NodeSchedulingPolicy.ACTIVE, ACTIVE, Utilization.of(0, 1, 1, 10));

    String json =
        JsonMapper.builder()
            .propertyNamingStrategy(PropertyNamingStrategies.SNAKE_CASE)
            .build()
            .writeValueAsString(scheduler.dump());

    assertThat(json)
        .startsWith("{\"nodes\":{\"1\":{")
        .contains(
            "\"node_id\":1",
            "\"az\":\"az-a\"",
            "\"scheduling\":\"Active\"",
            "\"availability\":\"Active\"",
            "\"may_schedule\":true",
            "\"shard_count\":0",
            "\"attached_shard_count\":0",
            "\"home_shard_count\":0",
            "\"utilization_score\":100000");
  }

  @Test
  void consistencyCheckPassesWhenCountsMatchTheIntents() {
    activeNode(1, "az-a");
    activeNode(2, "az-b");
    scheduler.updateRefCounts(id(1), "az-a", RefCountUpdate.ATTACH);
    scheduler.updateRefCounts(id(2), "az-a", RefCountUpdate.ADD_SECONDARY);

    assertThat(scheduler.consistencyCheck(List.of(locations(id(1), List.of(id(2)), "az-a"))))
        .isEmpty();
  }

  @Test
  void consistencyCheckReportsAPlantedMismatch() {
    activeNode(1, "az-a");
    activeNode(2, "az-b");
    scheduler.updateRefCounts(id(1), "az-a", RefCountUpdate.ATTACH);
    scheduler.updateRefCounts(id(2), "az-a", RefCountUpdate.ADD_SECONDARY);
    scheduler.updateRefCounts(id(2), "az-a", RefCountUpdate.ADD_SECONDARY); // the leak

    assertThat(scheduler.consistencyCheck(List.of(locations(id(1), List.of(id(2)), "az-a"))))
        .containsExactly("node 2: shard_count is 2 but the intents hold 1");
  }

  @Test
  void consistencyCheckReportsIntentsOnUnknownNodesAndWrongHomeCounts() {
    activeNode(1, "az-a");
    scheduler.updateRefCounts(id(1), null, RefCountUpdate.ATTACH);

    assertThat(scheduler.consistencyCheck(List.of(locations(id(1), List.of(id(9)), "az-a"))))
        .containsExactly(
            "intent {attached=1, secondaries=[9], preferred_az=az-a} references node 9 unknown"
                + " to the scheduler",
            "node 1: home_shard_count is 0 but the intents hold 1");
  }

  private static ShardLocations locations(NodeId attached, List<NodeId> secondaries, String az) {
    return new ShardLocations() {
      @Override
      public NodeId attached() {
        return attached;
      }

      @Override
      public List<NodeId> secondaries() {
        return secondaries;
      }

      @Override
      public String preferredAz() {
        return az;
      }
    };
  }
}
