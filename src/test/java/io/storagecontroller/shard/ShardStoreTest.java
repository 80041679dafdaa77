package io.storagecontroller.shard;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import io.storagecontroller.failpoint.FailpointConfig;
import io.storagecontroller.failpoint.FailpointNames;
import io.storagecontroller.failpoint.FailpointTriggered;
import io.storagecontroller.failpoint.Failpoints;
import io.storagecontroller.model.Generation;
import io.storagecontroller.model.NodeAvailability;
import io.storagecontroller.model.NodeId;
import io.storagecontroller.model.NodeSchedulingPolicy;
import io.storagecontroller.model.PlacementPolicy;
import io.storagecontroller.model.Refusal;
import io.storagecontroller.model.ShardCount;
import io.storagecontroller.model.ShardNumber;
import io.storagecontroller.model.ShardSchedulingPolicy;
import io.storagecontroller.model.ShardStripeSize;
import io.storagecontroller.model.StepFailure;
import io.storagecontroller.model.TenantId;
import io.storagecontroller.model.TenantShardId;
import io.storagecontroller.operation.Operation;
import io.storagecontroller.operation.OperationLog;
import io.storagecontroller.pageserver.LocationConfig;
import io.storagecontroller.persistence.SerializableTransactions;
import io.storagecontroller.scheduler.Scheduler;
import io.storagecontroller.scheduler.SchedulerNodeState;
import io.storagecontroller.testing.ControllerTest;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Consumer;
import java.util.function.Predicate;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.dao.DataIntegrityViolationException;
import org.springframework.jdbc.core.simple.JdbcClient;
import tools.jackson.databind.node.JsonNodeFactory;
import tools.jackson.databind.node.ObjectNode;

/**
 * The store's promises, against the real database: a change is written to PostgreSQL before memory
 * takes it, a refused edit or a failed write leaves nothing behind (not even a scheduler count), a
 * hold is durable until released, and a generation never goes backwards.
 */
class ShardStoreTest extends ControllerTest {
  /** Paused and offline: the scheduler never offers them to the other tests sharing the context. */
  private static final AtomicLong NEXT_NODE = new AtomicLong(7_100_000);

  @Autowired ShardStore store;
  @Autowired TenantShardPersistence rows;
  @Autowired SerializableTransactions tx;
  @Autowired OperationLog operations;
  @Autowired Failpoints failpoints;
  @Autowired JdbcClient jdbc;

  NodeId a;
  NodeId b;
  TenantId tenant;

  @BeforeEach
  void nodes() {
    a = pausedNode();
    b = pausedNode();
    tenant = TenantId.generate();
  }

  @AfterEach
  void forget() {
    store.deleteTenant(tenant);
    store.scheduler().removeNode(a);
    store.scheduler().removeNode(b);
  }

  private NodeId pausedNode() {
    NodeId node = new NodeId(NEXT_NODE.incrementAndGet());
    store
        .scheduler()
        .upsertNode(node, "az-test", NodeSchedulingPolicy.PAUSE, NodeAvailability.OFFLINE);
    return node;
  }

  /**
   * Another controller's store on the same database (a restart, a candidate), empty until loaded.
   */
  private ShardStore storeOf(Scheduler scheduler) {
    return storeOf(scheduler, ShardRowsAhead.none());
  }

  private ShardStore storeOf(Scheduler scheduler, ShardRowsAhead rowsAhead) {
    return new ShardStore(
        scheduler,
        rows,
        tx,
        new PrometheusMeterRegistry(PrometheusConfig.DEFAULT),
        new GenerationRegressions(new SimpleMeterRegistry()),
        failpoints,
        rowsAhead);
  }

  /** A two-shard tenant attached on {@code a}. */
  private List<ShardView> createOnA() {
    return store
        .create(
            tenant,
            "insert_tenant_shards",
            newRows(2),
            edit -> edit.shards().forEach(s -> s.intent().setAttached(a)))
        .shards();
  }

  private List<TenantShardRow> newRows(int count) {
    List<TenantShardRow> out = new ArrayList<>();
    for (int n = 0; n < count; n++) {
      out.add(
          new TenantShardRow(
              new TenantShardId(tenant, ShardNumber.of(n), ShardCount.of(count)),
              ShardStripeSize.DEFAULT,
              Generation.of(1),
              null,
              PlacementPolicy.attached(0),
              false,
              "{}",
              ShardSchedulingPolicy.ACTIVE,
              null,
              null,
              List.of(),
              null));
    }
    return out;
  }

  private List<TenantShardRow> stored() {
    return tx.execute("load_tenant", () -> rows.loadTenant(tenant));
  }

  private long attachedOn(NodeId node) {
    return store.scheduler().node(node).map(SchedulerNodeState::attachedShardCount).orElseThrow();
  }

  /**
   * Neon's {@code consecutive_reconciles_count}: every reconcile that ends counts, failed or not,
   * until the sweep finds nothing to do for the shard.
   */
  @Test
  void reconcilesInARowAreCountedUntilTheSweepFindsNothingToDo() {
    TenantShardId id = createOnA().get(0).id();
    store.recordReconcile(id, null);
    store.recordReconcile(id, "pageserver unreachable");
    store.recordReconcile(id, null);
    assertThat(store.consecutiveReconciles(id)).isEqualTo(3);
    store.reconcileSettled(id);
    assertThat(store.consecutiveReconciles(id)).isZero();
    assertThat(store.consecutiveReconciles(TenantShardId.unsharded(TenantId.generate()))).isZero();
  }

  /**
   * The sweep's pass plans a shard once while it stays as it was and the reachable nodes stay the
   * same; a change of the shard or of the nodes plans it again. Dirty shards come with their run of
   * reconciles; a clean one's run ends.
   */
  @Test
  void theSweepPassPlansAShardAgainOnlyWhenItOrTheReachableNodesChanged() {
    List<ShardView> created = createOnA();
    TenantShardId first = created.get(0).id();
    TenantShardId second = created.get(1).id();
    store.recordReconcile(first, null);
    store.recordReconcile(second, null);
    store.recordReconcile(second, null);
    Map<TenantShardId, Integer> planned = new HashMap<>();
    Map<TenantShardId, Integer> launches = new HashMap<>();
    Predicate<ShardView> plan =
        view -> {
          planned.merge(view.id(), 1, Integer::sum);
          return view.id().equals(second); // the second stays dirty, the first is clean
        };
    SweepVisit visit =
        (view, dirty, count) -> {
          if (dirty) {
            launches.put(view.id(), count);
          }
        };

    store.sweepPass(Set.of(a), plan, visit);
    assertThat(planned).containsEntry(first, 1).containsEntry(second, 1);
    assertThat(launches).containsOnlyKeys(second).containsEntry(second, 2);
    assertThat(store.consecutiveReconciles(first)).isZero();
    assertThat(store.consecutiveReconciles(second)).isEqualTo(2);

    // Nothing changed: the clean one is not planned again, the dirty one is.
    store.sweepPass(Set.of(a), plan, visit);
    assertThat(planned).containsEntry(first, 1).containsEntry(second, 2);

    // The same nodes in another set: still nothing to plan again.
    store.sweepPass(new HashSet<>(Set.of(a)), plan, visit);
    assertThat(planned).containsEntry(first, 1);

    // The shard changed (a reconcile ended): planned again.
    store.recordReconcile(first, null);
    store.sweepPass(Set.of(a), plan, visit);
    assertThat(planned).containsEntry(first, 2);

    // Other nodes reachable: every shard is planned again.
    store.sweepPass(Set.of(), plan, visit);
    assertThat(planned).containsEntry(first, 3);
  }

  /**
   * A create or delete waiting for its tenant asks at each change of a shard whether the tenant is
   * clean: a shard found clean, by the waiter or by the sweep, is not planned again while its view
   * and the reachable nodes stay the same; a dirty one answers no.
   */
  @Test
  void aTenantsShardsFoundCleanAreNotPlannedAgainByItsWaitersOrTheSweep() {
    List<ShardView> created = createOnA();
    TenantId tenant = created.get(0).id().tenantId();
    TenantShardId first = created.get(0).id();
    Map<TenantShardId, Integer> planned = new HashMap<>();
    Set<TenantShardId> dirty = new HashSet<>(Set.of(first));
    Predicate<ShardView> plan =
        view -> {
          planned.merge(view.id(), 1, Integer::sum);
          return dirty.contains(view.id());
        };

    assertThat(store.tenantClean(tenant, Set.of(a), plan)).isFalse();
    assertThat(planned).containsOnlyKeys(first);

    dirty.clear();
    store.recordReconcile(first, null); // its reconcile ended: a new view
    assertThat(store.tenantClean(tenant, Set.of(a), plan)).isTrue();
    assertThat(planned).containsEntry(first, 2).containsEntry(created.get(1).id(), 1);

    // Asked again with nothing changed, and swept: neither shard is planned again.
    assertThat(store.tenantClean(tenant, new HashSet<>(Set.of(a)), plan)).isTrue();
    store.sweepPass(Set.of(a), plan, (view, isDirty, count) -> {});
    assertThat(planned).containsEntry(first, 2).containsEntry(created.get(1).id(), 1);

    // Other nodes reachable: planned again.
    assertThat(store.tenantClean(tenant, Set.of(), plan)).isTrue();
    assertThat(planned).containsEntry(first, 3);
  }

  @Test
  void aCreatedTenantIsInTheDatabaseAndInMemoryWithItsPlacement() {
    List<ShardView> created = createOnA();
    assertThat(created).hasSize(2).allMatch(s -> a.equals(s.attached()));
    assertThat(stored()).hasSize(2).allMatch(r -> a.equals(r.intendedAttached()));
    assertThat(attachedOn(a)).isEqualTo(2);
  }

  @Test
  void aNodesListReplacesItsObservedStateSaveWhatAWriterChangedWhileItWasAsked() {
    List<ShardView> shards = createOnA();
    TenantShardId quiet = shards.get(0).id();
    TenantShardId written = shards.get(1).id();
    shards.forEach(s -> store.observed(s.id(), a, LocationConfigs.attached(s, 1)));
    long mark = store.observationMark();
    store.observedUnknown(written, a); // a writer's call under way when the list is answered
    TenantShardId stray = TenantShardId.unsharded(TenantId.generate());

    List<TenantShardId> unknown =
        store.observeWholeNode(a, Map.of(stray, LocationConfig.detached(stray)), mark);

    assertThat(unknown).containsExactly(stray);
    assertThat(store.shard(quiet).orElseThrow().observed()).doesNotContainKey(a);
    assertThat(store.shard(written).orElseThrow().observed()).containsEntry(a, Optional.empty());
    assertThat(store.claims(stray)).isFalse();
    assertThat(store.claims(quiet)).isTrue();
  }

  /**
   * A previous leader's snapshot is taken as listings of its nodes would be: known shards take
   * their locations (an unknown config stays unknown), locations of shards not known here are the
   * node's strays, and a dropped node's are neither.
   */
  @Test
  void aSnapshotIsTakenAsListingsOfItsNodesWouldBe() {
    List<ShardView> shards = createOnA();
    TenantShardId attached = shards.get(0).id();
    TenantShardId unsure = shards.get(1).id();
    TenantShardId stray = TenantShardId.unsharded(TenantId.generate());
    NodeId dropped = pausedNode();
    store.forgetNode(dropped);
    LocationConfig config = LocationConfigs.attached(shards.get(0), 1);

    SnapshotApplied found =
        store.observeSnapshot(
            Map.of(
                attached, Map.of(a, Optional.of(config), dropped, Optional.of(config)),
                unsure, Map.of(a, Optional.empty(), b, Optional.of(config)),
                stray, Map.of(b, Optional.of(LocationConfig.detached(stray)))));

    assertThat(store.shard(attached).orElseThrow().observed())
        .containsExactly(Map.entry(a, Optional.of(config)));
    assertThat(store.shard(unsure).orElseThrow().observed())
        .containsEntry(a, Optional.empty())
        .containsEntry(b, Optional.of(config));
    assertThat(found.known(a)).isEqualTo(1);
    assertThat(found.known(b)).isEqualTo(1);
    assertThat(found.known(dropped)).isZero();
    assertThat(found.strays(b)).containsExactly(stray);
    assertThat(found.strays(a)).isEmpty();
    store.nodeMayReturn(dropped);
    store.scheduler().removeNode(dropped);
  }

  /** A restart's listing of a node asked for before the node re-attached is known to be older. */
  @Test
  void aReAttachIsKnownToComeAfterWhatWasAskedBeforeIt() {
    long before = System.nanoTime();
    assertThat(store.reAttachedSince(a, before)).isFalse();

    store.reAttach(a, Set.of());

    assertThat(store.reAttachedSince(a, before)).isTrue();
    assertThat(store.reAttachedSince(a, System.nanoTime())).isFalse();
    assertThat(store.reAttachedSince(b, before)).isFalse();
  }

  /** A step-down answers a candidate that read ahead only the shards observed differently since. */
  @Test
  void theShardsObservedDifferentlySinceAMarkAreTheOnesChanged() {
    List<ShardView> shards = createOnA();
    shards.forEach(s -> store.observed(s.id(), a, LocationConfigs.attached(s, 1)));
    long mark = store.observationMark();
    assertThat(store.observedChangedSince(mark)).isEmpty();

    store.observedUnknown(shards.get(1).id(), a);

    assertThat(store.observedChangedSince(mark))
        .singleElement()
        .satisfies(
            v -> {
              assertThat(v.id()).isEqualTo(shards.get(1).id());
              assertThat(v.observed().get(a)).isEmpty();
            });
  }

  /**
   * A takeover confirms every location its read ahead put in memory: the same answer again keeps
   * the shard's view (no rebuild), yet still counts as a change for a node listing under way.
   */
  @Test
  void confirmingWhatIsObservedKeepsTheViewAndStillOrdersTheChange() {
    ShardView shard = createOnA().get(0);
    LocationConfig config = LocationConfigs.attached(shard, 1);
    store.observeAhead(Map.of(shard.id(), Map.of(a, Optional.of(config))));
    ShardView ahead = store.shard(shard.id()).orElseThrow();
    assertThat(ahead.observed().get(a)).contains(config);
    long mark = store.observationMark();

    store.observed(shard.id(), a, config);

    assertThat(store.shard(shard.id()).orElseThrow()).isSameAs(ahead);
    assertThat(store.observedChangedSince(mark)).extracting(ShardView::id).contains(shard.id());

    store.forgetObserved(List.of(shard.id()));
    assertThat(store.shard(shard.id()).orElseThrow().observed()).isEmpty();
  }

  /** A shard created after a mark, observed nowhere yet, is among those changed since. */
  @Test
  void aShardCreatedAfterAMarkIsChangedSinceEvenUnobserved() {
    long mark = store.observationMark();
    ShardView created = createOnA().get(0);
    assertThat(store.observedChangedSince(mark)).extracting(ShardView::id).contains(created.id());
  }

  @Test
  void anAnswerFromADroppedNodeDoesNotPutItBackUntilItsTombstoneGoes() {
    TenantShardId shard = createOnA().get(0).id();
    store.observed(shard, a, LocationConfigs.attached(store.shard(shard).orElseThrow(), 1));

    store.forgetNode(a);
    // A reconcile's call to the node was on its way when it was dropped; its answer comes now.
    store.observed(shard, a, LocationConfigs.attached(store.shard(shard).orElseThrow(), 1));
    store.observedUnknown(shard, a);
    store.observeWholeNode(a, Map.of(shard, LocationConfig.detached(shard)), 0);
    assertThat(store.shard(shard).orElseThrow().observed()).doesNotContainKey(a);

    store.nodeMayReturn(a);
    store.observedUnknown(shard, a);
    assertThat(store.shard(shard).orElseThrow().observed()).containsEntry(a, Optional.empty());
  }

  /**
   * Pageserver answers take only their shard's lock, not the store's: answers arriving while the
   * node is dropped still never leave it in a shard's observed state.
   */
  @Test
  void answersRacingANodesDropNeverPutItBack() throws Exception {
    List<ShardView> created = createOnA();
    LocationConfig config = LocationConfigs.attached(created.get(0), 1);
    ExecutorService pool = Executors.newFixedThreadPool(4);
    AtomicBoolean dropped = new AtomicBoolean();
    CountDownLatch answering = new CountDownLatch(3);
    try {
      List<Future<?>> answers = new ArrayList<>();
      for (int t = 0; t < 3; t++) {
        answers.add(
            pool.submit(
                () -> {
                  // Answers keep coming until well after the drop.
                  for (int i = 0; !dropped.get() || i % 1000 != 0 || i < 20_000; i++) {
                    for (ShardView shard : created) {
                      store.observed(shard.id(), b, config);
                      store.observedUnknown(shard.id(), b);
                    }
                    answering.countDown();
                  }
                }));
      }
      assertThat(answering.await(60, TimeUnit.SECONDS)).isTrue();
      store.forgetNode(b);
      dropped.set(true);
      for (Future<?> answer : answers) {
        answer.get(60, TimeUnit.SECONDS);
      }
    } finally {
      pool.shutdownNow();
      store.nodeMayReturn(b);
    }
    for (ShardView shard : created) {
      assertThat(store.shard(shard.id()).orElseThrow().observed()).doesNotContainKey(b);
    }
  }

  @Test
  void aGenerationWhoseCommitAnswerIsLostIsReadBackIntoMemory() {
    TenantShardId shard = createOnA().get(0).id();
    failpoints.configure(
        List.of(new FailpointConfig(FailpointNames.GENERATION_COMMIT_ANSWER_LOST, "1*return")));
    try {
      assertThatThrownBy(() -> store.issueGeneration(shard, a))
          .isInstanceOf(FailpointTriggered.class);
    } finally {
      failpoints.configure(
          List.of(new FailpointConfig(FailpointNames.GENERATION_COMMIT_ANSWER_LOST, "off")));
    }

    // The increment landed: memory follows the database, so validate accepts no older holder and
    // the next reconcile sees that the attached node lacks the newest generation.
    assertThat(store.shard(shard).orElseThrow().generation()).isEqualTo(Generation.of(2));
    assertThat(store.consistencyProblems()).isEmpty();
    assertThat(store.resolveAmbiguousCommits()).isZero();
  }

  @Test
  void theConsistencyCheckNamesARowThatDiffersFromMemoryButNotAWriteInFlight() {
    TenantShardId shard = createOnA().get(0).id();
    assertThat(store.consistencyProblems()).noneMatch(p -> p.contains(tenant.toString()));

    jdbc.sql("UPDATE tenant_shards SET generation = generation + 7 WHERE tenant_id = ?")
        .param(tenant.toString())
        .update();

    assertThat(store.consistencyProblems())
        .anyMatch(p -> p.startsWith("shard " + shard + " differs"));
    jdbc.sql("UPDATE tenant_shards SET generation = generation - 7 WHERE tenant_id = ?")
        .param(tenant.toString())
        .update();
    assertThat(store.consistencyProblems()).noneMatch(p -> p.contains(tenant.toString()));
  }

  @Test
  void aNewerGenerationReportedByAPageserverStopsIssuingForThatShard() {
    List<ShardView> shards = createOnA();
    TenantShardId behind = shards.get(0).id();
    store.observed(behind, a, LocationConfigs.attached(shards.get(0), 7));

    assertThat(store.generationRegressed(behind)).isTrue();
    assertThat(store.generationRegressed(shards.get(1).id())).isFalse();
    assertThatThrownBy(() -> store.issueGeneration(behind, a))
        .isInstanceOf(Refusal.class)
        .hasMessageContaining("generation regression");
    assertThat(storedGenerationOf(behind)).isEqualTo(Generation.of(1));
    assertThat(store.issueGeneration(shards.get(1).id(), a)).contains(Generation.of(2));
  }

  private Generation storedGenerationOf(TenantShardId id) {
    return stored().stream().filter(r -> r.id().equals(id)).findFirst().orElseThrow().generation();
  }

  @Test
  void aTenantIdCreatedAgainStartsAboveEveryGenerationItHadBefore() {
    TenantShardId first = createOnA().get(0).id();
    store.issueGeneration(first, a);
    assertThat(store.issueGeneration(first, a)).contains(Generation.of(3));
    store.deleteTenant(tenant);

    // Created again, with the generation every new tenant starts at.
    ShardView again = createOnA().get(0);
    assertThat(again.generation()).isEqualTo(Generation.of(4));
    assertThat(storedGenerationOf(first)).isEqualTo(Generation.of(4));
    assertThat(store.consistencyProblems()).isEmpty();

    // Onboarded as a secondary (no generation yet): its first is above the floor too.
    store.deleteTenant(tenant);
    TenantShardRow secondaryOnly = newRows(1).get(0);
    TenantShardId unsharded = secondaryOnly.id();
    store.addShard(
        new TenantShardRow(
            unsharded,
            secondaryOnly.stripeSize(),
            null,
            null,
            secondaryOnly.placementPolicy(),
            false,
            "{}",
            ShardSchedulingPolicy.ACTIVE,
            null,
            null,
            List.of(),
            null));
    assertThat(store.issueGeneration(unsharded, a)).contains(Generation.of(5));
  }

  @Test
  void noWriterActsBeforeTheStartUpScanHasHeardFromTheNodes() {
    ShardStore starting = storeOf(new Scheduler());
    TenantShardId id = TenantShardId.unsharded(tenant);

    assertThatThrownBy(() -> starting.asWriter(id, () -> "acted"))
        .isInstanceOf(StepFailure.class)
        .hasMessageContaining("start-up scan");
    starting.scanned();
    assertThat(starting.asWriter(id, () -> "acted")).isEqualTo("acted");
  }

  /**
   * A candidate reads every shard ahead of its takeover, into nothing it acts on; the takeover's
   * load, which reads in full only the tenants written since, then matches the database whatever
   * the old leader deleted, changed or created in between.
   */
  @Test
  void theTakeoversLoadMatchesTheDatabaseWhateverChangedSinceTheReadAhead() {
    TenantId deleted = tenant;
    tx.run("insert", () -> rows.insert(newRows(2)));
    tenant = TenantId.generate();
    TenantShardRow kept = newRows(1).get(0);
    tenant = TenantId.generate();
    TenantShardRow changed = newRows(1).get(0);
    tx.run("insert", () -> rows.insert(List.of(kept, changed)));
    ShardStore candidate = storeOf(new Scheduler());
    candidate.readAhead();
    assertThat(candidate.shard(changed.id()).map(ShardView::generation)).contains(Generation.of(1));

    // Meanwhile the leader deletes a tenant, issues another a generation and creates a third.
    tx.run("delete", () -> rows.deleteTenant(deleted));
    tx.run("generation", () -> rows.incrementGeneration(changed.id(), a));
    tenant = TenantId.generate();
    TenantShardRow created = newRows(1).get(0);
    tx.run("insert", () -> rows.insert(List.of(created)));

    candidate.loadAll();

    assertThat(candidate.tenant(deleted)).isEmpty();
    assertThat(candidate.shard(kept.id()).map(ShardView::generation)).contains(Generation.of(1));
    assertThat(candidate.shard(changed.id()).map(ShardView::generation)).contains(Generation.of(2));
    assertThat(candidate.shard(created.id())).isPresent();
    tx.run("delete", () -> rows.deleteTenant(kept.id().tenantId()));
    tx.run("delete", () -> rows.deleteTenant(changed.id().tenantId()));
  }

  /**
   * Without deletions the candidate finds what was written since by transaction id alone: a
   * catch-up before asking, then the takeover's load, each replacing only the tenants written.
   */
  @Test
  void aCatchUpAndTheTakeoversLoadFindWhatWasWrittenSinceWithoutADeletion() {
    TenantShardRow changed = newRows(1).get(0);
    tenant = TenantId.generate();
    TenantShardRow kept = newRows(1).get(0);
    tx.run("insert", () -> rows.insert(List.of(changed, kept)));
    ShardStore candidate = storeOf(new Scheduler());
    candidate.readAhead();

    TenantShardRow created = leaderWritesMeanwhile(changed);
    candidate.catchUp();

    assertThat(candidate.shard(changed.id()).map(ShardView::generation)).contains(Generation.of(2));
    assertThat(candidate.shard(created.id())).isPresent();

    TenantShardRow late = leaderWritesMeanwhile(changed);
    candidate.loadAll();

    assertThat(candidate.shard(changed.id()).map(ShardView::generation)).contains(Generation.of(3));
    assertThat(candidate.shard(kept.id()).map(ShardView::generation)).contains(Generation.of(1));
    assertThat(candidate.shard(created.id())).isPresent();
    assertThat(candidate.shard(late.id())).isPresent();
    for (TenantShardRow r : List.of(changed, kept, created, late)) {
      tx.run("delete", () -> rows.deleteTenant(r.id().tenantId()));
    }
  }

  /**
   * A restart takes the rows read while its context started and catches them up: its first load
   * matches the database whatever was deleted, changed or created after that read; the next load
   * reads the database itself.
   */
  @Test
  void aRestartsFirstLoadCatchesUpTheRowsReadWhileItsContextStarted() {
    TenantId deleted = tenant;
    tx.run("insert", () -> rows.insert(newRows(2)));
    TenantShardRow changed = insertedTenant();
    ShardRowsAhead readWhileStarting = new ShardRowsAhead(rows);
    TenantShardPersistence.ReadAhead read = readWhileStarting.take().orElseThrow();
    assertThat(read.rows()).extracting(v -> v.row().id()).contains(changed.id());
    assertThat(readWhileStarting.take()).isEmpty();

    // After the read, a deposed leader deletes a tenant, issues a generation, creates a tenant.
    tx.run("delete", () -> rows.deleteTenant(deleted));
    TenantShardRow created = leaderWritesMeanwhile(changed);
    ShardStore restarted = storeOf(new Scheduler(), ShardRowsAhead.of(read));
    restarted.loadAll();

    assertThat(restarted.tenant(deleted)).isEmpty();
    assertThat(restarted.shard(changed.id()).map(ShardView::generation)).contains(Generation.of(2));
    assertThat(restarted.shard(created.id())).isPresent();

    tx.run("generation", () -> rows.incrementGeneration(changed.id(), a));
    restarted.loadAll();
    assertThat(restarted.shard(changed.id()).map(ShardView::generation)).contains(Generation.of(3));
    for (TenantShardRow r : List.of(changed, created)) {
      tx.run("delete", () -> rows.deleteTenant(r.id().tenantId()));
    }
  }

  /** The leader, meanwhile: issues {@code changed} a generation and creates a tenant (returned). */
  private TenantShardRow leaderWritesMeanwhile(TenantShardRow changed) {
    tx.run("generation", () -> rows.incrementGeneration(changed.id(), a));
    return insertedTenant();
  }

  /** A one-shard tenant of a new id, inserted; {@link #tenant} moves on to it. */
  private TenantShardRow insertedTenant() {
    tenant = TenantId.generate();
    TenantShardRow row = newRows(1).get(0);
    tx.run("insert", () -> rows.insert(List.of(row)));
    return row;
  }

  @Test
  void aDetachedRowIsLoadedAttachedNowhereWhateverNodeItsGenerationWentTo() {
    TenantShardRow template = newRows(1).get(0);
    TenantShardRow detached =
        new TenantShardRow(
            template.id(),
            template.stripeSize(),
            Generation.of(3),
            a,
            PlacementPolicy.DETACHED,
            false,
            "{}",
            ShardSchedulingPolicy.ACTIVE,
            null,
            null,
            List.of(),
            null);
    tx.run("insert", () -> rows.insert(List.of(detached)));
    Scheduler scheduler = new Scheduler();
    scheduler.upsertNode(a, "az-test", NodeSchedulingPolicy.ACTIVE, NodeAvailability.ACTIVE);
    ShardStore restarted = storeOf(scheduler);

    restarted.loadAll();

    assertThat(restarted.shard(detached.id()).orElseThrow().attached()).isNull();
    tx.run("delete", () -> rows.deleteTenant(tenant));
  }

  @Test
  void aCreationThatCannotBePlacedLeavesNothingBehind() {
    assertThatThrownBy(
            () ->
                store.create(
                    tenant,
                    "insert_tenant_shards",
                    newRows(2),
                    edit -> {
                      edit.shards().get(0).intent().setAttached(a);
                      throw new IllegalStateException("no room for shard 1");
                    }))
        .isInstanceOf(IllegalStateException.class);
    assertThat(store.hasTenant(tenant)).isFalse();
    assertThat(stored()).isEmpty();
    assertThat(attachedOn(a)).isZero();
  }

  @Test
  void aRefusedEditChangesNothingAndGivesBackWhatItPlaced() {
    createOnA();
    assertThatThrownBy(
            () ->
                store.change(
                    tenant,
                    "update_tenant_shard",
                    edit -> {
                      edit.shards().forEach(s -> s.intent().setAttached(b));
                      throw new IllegalStateException("refused");
                    }))
        .hasMessage("refused");
    assertThat(store.tenant(tenant)).allMatch(s -> a.equals(s.attached()));
    assertThat(stored()).allMatch(r -> a.equals(r.intendedAttached()));
    assertThat(attachedOn(a)).isEqualTo(2);
    assertThat(attachedOn(b)).isZero();
  }

  @Test
  void aFailedWriteLeavesMemoryAsItWasAndGivesBackTheReservation() {
    createOnA();
    // No operation 0 exists: the hold's foreign key fails the write after the edit placed b.
    assertThatThrownBy(
            () ->
                store.change(
                    tenant,
                    "update_tenant_shard",
                    edit -> {
                      edit.shards()
                          .forEach(
                              s -> {
                                s.intent().setAttached(b);
                                s.holdFor(0);
                              });
                      return null;
                    }))
        .isInstanceOf(DataIntegrityViolationException.class);
    assertThat(store.tenant(tenant)).allMatch(s -> a.equals(s.attached()) && !s.held());
    assertThat(stored()).allMatch(r -> a.equals(r.intendedAttached()) && r.heldBy() == null);
    assertThat(attachedOn(a)).isEqualTo(2);
    assertThat(attachedOn(b)).isZero();
  }

  /** Bulk edits (an evacuation's plan): several tenants' changes, one transaction, all or none. */
  @Test
  void changeEachWritesEveryTenantsChangeOrNone() {
    createOnA();
    TenantId first = tenant;
    tenant = TenantId.generate();
    createOnA();
    TenantId second = tenant;
    try {
      // An edit that throws on the second tenant leaves the first as it was too.
      assertThatThrownBy(
              () ->
                  moveBothToB(
                      first,
                      second,
                      edit -> {
                        throw new IllegalStateException("refused");
                      }))
          .hasMessage("refused");
      assertThat(store.tenant(first)).allMatch(sh -> a.equals(sh.attached()));
      assertThat(attachedOn(a)).isEqualTo(4);
      assertThat(attachedOn(b)).isZero();

      // A write that fails on the second tenant's rows writes the first's neither.
      assertThatThrownBy(
              () -> moveBothToB(first, second, edit -> edit.shards().forEach(sh -> sh.holdFor(0))))
          .isInstanceOf(DataIntegrityViolationException.class); // no operation 0
      assertThat(store.tenant(first)).allMatch(sh -> a.equals(sh.attached()));
      assertThat(tx.execute("load", () -> rows.loadTenant(first)))
          .allMatch(r -> a.equals(r.intendedAttached()));
      assertThat(attachedOn(b)).isZero();

      // Otherwise every tenant's change is in the database and in memory, with each answer.
      assertThat(moveBothToB(first, second, edit -> {}))
          .containsExactly(Map.entry(first, first), Map.entry(second, second));
      for (TenantId t : List.of(first, second)) {
        assertThat(store.tenant(t)).allMatch(sh -> b.equals(sh.attached()));
        assertThat(tx.execute("load", () -> rows.loadTenant(t)))
            .allMatch(r -> b.equals(r.intendedAttached()));
      }
      assertThat(attachedOn(a)).isZero();
      assertThat(attachedOn(b)).isEqualTo(4);
    } finally {
      store.deleteTenant(first);
    }
  }

  /**
   * Both tenants' shards to b in one {@code changeEach}; {@code alsoSecond} edits the second more.
   */
  private Map<TenantId, TenantId> moveBothToB(
      TenantId first, TenantId second, Consumer<TenantEdit> alsoSecond) {
    return store.changeEach(
        List.of(first, second),
        "update_tenant_shard",
        (t, edit) -> {
          edit.shards().forEach(sh -> sh.intent().setAttached(b));
          if (t.equals(second)) {
            alsoSecond.accept(edit);
          }
          return t;
        });
  }

  @Test
  void aHoldIsDurableUntilItsOperationEnds() {
    createOnA();
    long operation = operations.start("migrate", tenant.toString(), "test/" + tenant, 1, null);
    store.change(
        tenant,
        "update_tenant_shard",
        edit -> {
          edit.shards().get(0).holdFor(operation);
          return null;
        });
    assertThat(store.tenant(tenant).get(0).heldBy()).isEqualTo(operation);
    assertThat(stored().get(0).heldBy()).isEqualTo(operation);
    assertThat(stored().get(1).heldBy()).isNull();

    operations.finish(operation, Operation.FAILED, "ended");

    assertThat(store.tenant(tenant)).noneMatch(ShardView::held);
    assertThat(stored()).allMatch(r -> r.heldBy() == null);
  }

  /**
   * An operation's end releases its shards from an index of who holds what, not by reading every
   * shard: holds loaded from the database (a restart) are in it too, and other tenants' holds stay.
   */
  @Test
  void holdsLoadedAtStartUpAreReleasedWhenTheirOperationEnds() {
    List<TenantShardRow> held = newRows(2);
    long operation = operations.start("migrate", tenant.toString(), "test/" + tenant, 1, null);
    long other = operations.start("migrate", "other", "test/other/" + tenant, 1, null);
    tx.run("insert", () -> rows.insert(held));
    jdbc.sql("UPDATE tenant_shards SET held_by = ? WHERE tenant_id = ? AND shard_number = 0")
        .params(operation, tenant.toString())
        .update();
    jdbc.sql("UPDATE tenant_shards SET held_by = ? WHERE tenant_id = ? AND shard_number = 1")
        .params(other, tenant.toString())
        .update();
    ShardStore restarted = storeOf(new Scheduler());
    restarted.loadAll();

    assertThat(restarted.releaseHeldBy(operation)).isEqualTo(1);

    assertThat(restarted.shard(held.get(0).id()).orElseThrow().held()).isFalse();
    assertThat(restarted.shard(held.get(1).id()).orElseThrow().heldBy()).isEqualTo(other);
    assertThat(stored().get(1).heldBy()).isEqualTo(other);
    assertThat(restarted.releaseHeldBy(other)).isEqualTo(1);
    assertThat(restarted.tenant(tenant)).noneMatch(ShardView::held);
    operations.finish(operation, Operation.SUCCEEDED, null);
    operations.finish(other, Operation.SUCCEEDED, null);
    tx.run("delete", () -> rows.deleteTenant(tenant));
  }

  @Test
  void aGenerationNeverGoesBackwardsWhileEditsRace() throws Exception {
    createOnA();
    TenantShardId shard = store.tenant(tenant).get(0).id();
    ExecutorService pool = Executors.newFixedThreadPool(4);
    try {
      List<Future<?>> work = new ArrayList<>();
      for (int i = 0; i < 20; i++) {
        boolean issue = i % 2 == 0;
        work.add(
            pool.submit(
                () -> {
                  if (issue) {
                    store.issueGeneration(shard, a);
                  } else {
                    store.change(
                        tenant,
                        "update_tenant_config",
                        edit -> {
                          // A config change writes the whole row but the generation.
                          ObjectNode config = JsonNodeFactory.instance.objectNode();
                          config.put("gc_period", NEXT_NODE.incrementAndGet() + "s");
                          edit.shards().forEach(s -> s.setConfig(config));
                          return null;
                        });
                  }
                  return null;
                }));
      }
      for (Future<?> f : work) {
        f.get();
      }
    } finally {
      pool.shutdownNow();
    }
    // Ten issued after the initial generation 1: memory and the database agree on 11.
    assertThat(stored().get(0).generation()).isEqualTo(Generation.of(11));
    assertThat(store.shard(shard).orElseThrow().generation()).isEqualTo(Generation.of(11));
  }
}
