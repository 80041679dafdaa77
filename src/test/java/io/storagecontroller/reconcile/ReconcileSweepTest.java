package io.storagecontroller.reconcile;

import static org.assertj.core.api.Assertions.assertThat;
import static org.mockito.ArgumentMatchers.any;
import static org.mockito.Mockito.doAnswer;
import static org.mockito.Mockito.mock;
import static org.mockito.Mockito.never;
import static org.mockito.Mockito.verify;
import static org.mockito.Mockito.verifyNoInteractions;
import static org.mockito.Mockito.when;

import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import io.storagecontroller.compute.ComputeNotifications;
import io.storagecontroller.model.Generation;
import io.storagecontroller.model.NodeId;
import io.storagecontroller.model.PlacementPolicy;
import io.storagecontroller.model.ShardSchedulingPolicy;
import io.storagecontroller.model.ShardStripeSize;
import io.storagecontroller.model.TenantId;
import io.storagecontroller.model.TenantShardId;
import io.storagecontroller.node.Node;
import io.storagecontroller.node.NodeAddress;
import io.storagecontroller.node.NodeService;
import io.storagecontroller.pageserver.LocationConfig;
import io.storagecontroller.shard.ShardStore;
import io.storagecontroller.shard.ShardView;
import io.storagecontroller.shard.SweepVisit;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.function.Predicate;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.node.JsonNodeFactory;

/** The sweep asks for the dirty tenants only, and leaves those just asked for to that request. */
class ReconcileSweepTest {
  private static final NodeId NODE = NodeId.of(1);
  private static final Duration PERIOD = Duration.ofSeconds(20);

  private final TenantId justAsked = TenantId.generate();
  private final TenantId forgotten = TenantId.generate();
  private final TenantId clean = TenantId.generate();
  private final ReconcileRequests requests = mock(ReconcileRequests.class);
  private ReconcileSweep sweep;

  @BeforeEach
  void fleet() {
    ShardStore store = mock(ShardStore.class);
    shards(
        store,
        List.of(unattachedShard(justAsked), unattachedShard(forgotten), attachedShard(clean)));
    NodeService nodes = mock(NodeService.class);
    when(nodes.availableNodes()).thenReturn(Set.of(NODE));
    when(requests.requestedWithin(justAsked, PERIOD)).thenReturn(true);
    sweep =
        new ReconcileSweep(
            store,
            nodes,
            requests,
            mock(ComputeNotifications.class),
            new PrometheusMeterRegistry(PrometheusConfig.DEFAULT));
  }

  @Test
  void thePeriodicSweepSkipsATenantAskedForWithinThePeriod() {
    assertThat(sweep.sweep(PERIOD)).isEqualTo(1);
    verify(requests).request(forgotten);
    verify(requests, never()).request(justAsked);
    verify(requests, never()).request(clean);
    verify(requests).forgetOlderThan(PERIOD);
  }

  @Test
  void aFullSweepAsksForEveryDirtyTenant() {
    assertThat(sweep.sweep()).isEqualTo(2);
    verify(requests).request(forgotten);
    verify(requests).request(justAsked);
    verify(requests, never()).request(clean);
    verify(requests, never()).forgetOlderThan(any());
  }

  /** A candidate's count of what it read ahead requests nothing. */
  @Test
  void countingTheDirtyShardsActsOnNothing() {
    assertThat(sweep.countDirty(Set.of(NODE))).isEqualTo(2);
    // Unreachable, the attached shard's node is no work either: nothing is dirty but can be done.
    assertThat(sweep.countDirty(Set.of())).isZero();
    verifyNoInteractions(requests);
  }

  /** Shards attached outside their preferred zone are counted at each sweep. */
  @Test
  void shardsAttachedOutsideTheirPreferredZoneAreCounted() {
    ShardStore store = mock(ShardStore.class);
    ShardView home = attachedShard(clean);
    ShardView away = withPreferredAz(attachedShard(forgotten), "az-b");
    shards(store, List.of(withPreferredAz(home, "az-a"), away));
    NodeService nodes = mock(NodeService.class);
    when(nodes.availableNodes()).thenReturn(Set.of(NODE));
    when(nodes.list())
        .thenReturn(
            List.of(
                Node.registered(NODE, new NodeAddress("h", 1, null, "h", 2, null, null, "az-a"))));
    PrometheusMeterRegistry registry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
    new ReconcileSweep(store, nodes, requests, mock(ComputeNotifications.class), registry).sweep();

    assertThat(registry.scrape()).contains("storage_controller_schedule_az_violation 1.0");
  }

  /**
   * Neon's stuck reconciles: a shard still dirty after {@code MAX_CONSECUTIVE_RECONCILES} (10)
   * reconciles in a row is counted at each sweep; a shard with nothing to do ends its run.
   */
  @Test
  void shardsStillDirtyAfterTenReconcilesInARowAreStuck() {
    ShardStore store = mock(ShardStore.class);
    ShardView stuck = unattachedShard(justAsked);
    ShardView retrying = unattachedShard(forgotten);
    ShardView settled = attachedShard(clean);
    shards(store, List.of(stuck, retrying, settled));
    when(store.consecutiveReconciles(stuck.id()))
        .thenReturn(ReconcileSweep.MAX_CONSECUTIVE_RECONCILES);
    when(store.consecutiveReconciles(retrying.id()))
        .thenReturn(ReconcileSweep.MAX_CONSECUTIVE_RECONCILES - 1);
    when(store.consecutiveReconciles(settled.id())).thenReturn(25);
    NodeService nodes = mock(NodeService.class);
    when(nodes.availableNodes()).thenReturn(Set.of(NODE));
    PrometheusMeterRegistry registry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
    ReconcileSweep sweep =
        new ReconcileSweep(store, nodes, requests, mock(ComputeNotifications.class), registry);
    assertThat(registry.scrape()).contains("storage_controller_stuck_reconciles 0.0");

    sweep.sweep();

    assertThat(registry.scrape())
        .contains("# TYPE storage_controller_stuck_reconciles gauge")
        .contains("storage_controller_stuck_reconciles 1.0");
    verify(store).reconcileSettled(settled.id());
    verify(store, never()).reconcileSettled(stuck.id());
    verify(store, never()).reconcileSettled(retrying.id());

    // Once the stuck shard is reconciled, the next sweep finds none.
    shards(store, List.of(attachedShard(justAsked), retrying, settled));
    sweep.sweep();
    assertThat(registry.scrape()).contains("storage_controller_stuck_reconciles 0.0");
    verify(store).reconcileSettled(stuck.id());
  }

  /**
   * The store's pass over these shards, as {@link ShardStore#sweepPass} makes it (its caching of
   * clean verdicts aside: {@code ShardStoreTest}), with the reconcile counts the mock answers.
   */
  private static void shards(ShardStore store, List<ShardView> views) {
    when(store.all()).thenReturn(views);
    doAnswer(
            pass -> {
              Predicate<ShardView> dirty = pass.getArgument(1);
              SweepVisit visit = pass.getArgument(2);
              for (ShardView view : views) {
                if (dirty.test(view)) {
                  visit.shard(view, true, store.consecutiveReconciles(view.id()));
                } else {
                  store.reconcileSettled(view.id());
                  visit.shard(view, false, 0);
                }
              }
              return null;
            })
        .when(store)
        .sweepPass(any(), any(), any());
  }

  private static ShardView withPreferredAz(ShardView s, String az) {
    return new ShardView(
        s.id(),
        s.stripeSize(),
        s.generation(),
        s.generationPageserver(),
        s.policy(),
        s.schedulingPolicy(),
        s.config(),
        s.splitting(),
        s.heldBy(),
        s.attached(),
        s.secondaries(),
        az,
        s.observed(),
        s.lastError(),
        s.sequence());
  }

  /** Intent on the node, nothing observed there yet: dirty. */
  private static ShardView unattachedShard(TenantId tenant) {
    return shard(tenant, Map.of());
  }

  private static ShardView attachedShard(TenantId tenant) {
    ShardView intent = shard(tenant, Map.of());
    ShardReconcilePlan plan = ShardReconcilePlanner.plan(new ShardSnapshot(intent, Set.of(NODE)));
    assertThat(plan.isEmpty()).isFalse();
    return shard(tenant, Map.of(NODE, Optional.of(plan.attach().wanted())));
  }

  private static ShardView shard(TenantId tenant, Map<NodeId, Optional<LocationConfig>> observed) {
    return new ShardView(
        TenantShardId.unsharded(tenant),
        ShardStripeSize.of(32768),
        Generation.of(1),
        NODE,
        PlacementPolicy.attached(0),
        ShardSchedulingPolicy.ACTIVE,
        JsonNodeFactory.instance.objectNode(),
        false,
        null,
        NODE,
        List.of(),
        null,
        observed,
        "",
        0);
  }
}
