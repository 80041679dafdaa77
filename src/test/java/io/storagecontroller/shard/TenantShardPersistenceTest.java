package io.storagecontroller.shard;

import static org.assertj.core.api.Assertions.assertThat;

import io.storagecontroller.model.Generation;
import io.storagecontroller.model.NodeId;
import io.storagecontroller.model.PlacementPolicy;
import io.storagecontroller.model.ShardCount;
import io.storagecontroller.model.ShardNumber;
import io.storagecontroller.model.ShardSchedulingPolicy;
import io.storagecontroller.model.ShardStripeSize;
import io.storagecontroller.model.TenantId;
import io.storagecontroller.model.TenantShardId;
import io.storagecontroller.persistence.SerializableTransactions;
import io.storagecontroller.testing.ControllerTest;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;

class TenantShardPersistenceTest extends ControllerTest {
  @Autowired TenantShardPersistence persistence;
  @Autowired SerializableTransactions tx;

  /**
   * These rows bypass memory; remove them so other tests' consistency checks see only real tenants.
   */
  @AfterEach
  void removeRows() {
    for (TenantId tenant : WRITTEN) {
      jdbc.sql("DELETE FROM tenant_shards WHERE tenant_id = ?").param(tenant.toString()).update();
    }
    WRITTEN.clear();
  }

  /** The tenants whose rows a test wrote. */
  private static final Set<TenantId> WRITTEN = ConcurrentHashMap.newKeySet();

  static List<TenantShardRow> tenant(TenantId tenant, int count, NodeId node) {
    WRITTEN.add(tenant);
    List<TenantShardRow> rows = new ArrayList<>();
    for (int i = 0; i < Math.max(count, 1); i++) {
      rows.add(
          new TenantShardRow(
              new TenantShardId(tenant, ShardNumber.of(i), ShardCount.of(count)),
              ShardStripeSize.DEFAULT,
              Generation.of(1),
              node,
              PlacementPolicy.attached(1),
              false,
              "{\"gc_period\":\"1h\"}",
              ShardSchedulingPolicy.ACTIVE,
              "az-a",
              node,
              List.of(new NodeId(99)),
              null));
    }
    return rows;
  }

  @Test
  void rowsRoundTrip() {
    TenantId tenant = TenantId.generate();
    List<TenantShardRow> rows = tenant(tenant, 4, new NodeId(7));
    tx.run("insert_tenant_shards", () -> persistence.insert(rows));
    assertThat(tx.execute("load_tenant", () -> persistence.loadTenant(tenant))).isEqualTo(rows);
  }

  @Test
  void legacyUnshardedAndLegacyRowEncodings() {
    TenantId tenant = TenantId.generate();
    List<TenantShardRow> rows = tenant(tenant, 0, new NodeId(7));
    tx.run("insert_tenant_shards", () -> persistence.insert(rows));
    assertThat(rows.get(0).id().toString()).isEqualTo(tenant.toString());
    // Rows written by Neon's migration #4 have a space in the policy; early builds wrote i64::MAX.
    jdbcUpdate(
        "UPDATE tenant_shards SET placement_policy = '{\"Attached\": 1}',"
            + " generation_pageserver = 9223372036854775807 WHERE tenant_id = '"
            + tenant
            + "'");
    TenantShardRow loaded = tx.execute("load_tenant", () -> persistence.loadTenant(tenant)).get(0);
    assertThat(loaded.placementPolicy()).isEqualTo(PlacementPolicy.attached(1));
    assertThat(loaded.generationPageserver()).isNull();
  }

  @Test
  void incrementGenerationIssuesStrictlyIncreasingGenerationsUnderConcurrency() throws Exception {
    TenantId tenant = TenantId.generate();
    List<TenantShardRow> rows = tenant(tenant, 2, new NodeId(1));
    tx.run("insert_tenant_shards", () -> persistence.insert(rows));
    TenantShardId shard = rows.get(0).id();
    ExecutorService pool = Executors.newFixedThreadPool(8);
    try {
      List<Future<Generation>> issued = new ArrayList<>();
      for (int i = 0; i < 40; i++) {
        NodeId node = new NodeId(1 + i % 3);
        issued.add(
            pool.submit(
                () ->
                    tx.execute(
                        "increment_generation",
                        () -> persistence.incrementGeneration(shard, node).orElseThrow())));
      }
      List<Long> values = new ArrayList<>();
      for (Future<Generation> f : issued) {
        values.add(f.get().value());
      }
      // Every caller got a distinct generation: none was issued twice.
      assertThat(values).doesNotHaveDuplicates().hasSize(40);
      assertThat(values).allMatch(v -> v >= 2 && v <= 41);
    } finally {
      pool.shutdownNow();
    }
  }

  @Test
  void oneStatementIncrementsManyShardsEachToItsNode() {
    TenantId tenant = TenantId.generate();
    List<TenantShardRow> rows = tenant(tenant, 4, new NodeId(1));
    tx.run("insert_tenant_shards", () -> persistence.insert(rows));
    TenantShardId gone = TenantShardId.unsharded(TenantId.generate());
    Map<TenantShardId, NodeId> toNodes = new java.util.LinkedHashMap<>();
    toNodes.put(rows.get(0).id(), new NodeId(5));
    toNodes.put(rows.get(2).id(), new NodeId(6));
    toNodes.put(gone, new NodeId(7));

    Map<TenantShardId, Generation> issued =
        tx.execute("increment_generation", () -> persistence.incrementGenerations(toNodes));

    // Only the shards asked for moved on, each to its own node; one that is gone is absent.
    assertThat(issued)
        .containsOnlyKeys(rows.get(0).id(), rows.get(2).id())
        .allSatisfy((shard, generation) -> assertThat(generation).isEqualTo(Generation.of(2)));
    List<TenantShardRow> stored = tx.execute("load", () -> persistence.loadTenant(tenant));
    assertThat(stored)
        .extracting(TenantShardRow::generation)
        .containsExactly(Generation.of(2), Generation.of(1), Generation.of(2), Generation.of(1));
    assertThat(stored.get(0).generationPageserver()).isEqualTo(new NodeId(5));
    assertThat(stored.get(2).generationPageserver()).isEqualTo(new NodeId(6));
  }

  @Test
  void reAttachBumpsExactlyTheShardsOfThatNode() {
    TenantId a = TenantId.generate();
    TenantId b = TenantId.generate();
    NodeId node = new NodeId(4_000_000 + (System.nanoTime() & 0xfff));
    tx.run(
        "insert_tenant_shards",
        () -> {
          persistence.insert(tenant(a, 2, node));
          persistence.insert(tenant(b, 2, new NodeId(5)));
        });
    List<TenantShardRow> bumped =
        tx.execute("re_attach", () -> persistence.incrementGenerationsOf(node));
    assertThat(bumped).hasSize(2).allMatch(r -> r.generation().equals(Generation.of(2)));
    assertThat(tx.execute("load", () -> persistence.loadTenant(b)))
        .allMatch(r -> r.generation().equals(Generation.of(1)));
  }

  @Test
  void generationsOmitsUnknownShards() {
    TenantId tenant = TenantId.generate();
    List<TenantShardRow> rows = tenant(tenant, 2, new NodeId(1));
    tx.run("insert_tenant_shards", () -> persistence.insert(rows));
    TenantShardId unknown = TenantShardId.unsharded(TenantId.generate());
    Map<TenantShardId, Generation> found =
        tx.execute(
            "shard_generations",
            () -> persistence.generations(List.of(rows.get(0).id(), rows.get(1).id(), unknown)));
    assertThat(found).containsOnlyKeys(rows.get(0).id(), rows.get(1).id());
  }

  @Test
  void leavingAttachedPlacementClearsTheGenerationHolderButNeverTheGeneration() {
    TenantId tenant = TenantId.generate();
    tx.run("insert_tenant_shards", () -> persistence.insert(tenant(tenant, 2, new NodeId(3))));
    // A generation issued after the edit's drafts were taken must survive the edit's write.
    tx.run(
        "increment_generation",
        () ->
            persistence.incrementGeneration(
                new TenantShardId(tenant, ShardNumber.of(0), ShardCount.of(2)), new NodeId(3)));
    List<ShardDraft> drafts = new ArrayList<>();
    for (TenantShardRow row : tenant(tenant, 2, new NodeId(3))) {
      IntentState intent = new IntentState(new io.storagecontroller.scheduler.Scheduler());
      ShardDraft draft =
          new ShardDraft(new TenantShard(row, intent, new TenantChangeWaits()).view(), intent);
      draft.setPolicy(PlacementPolicy.DETACHED);
      drafts.add(draft);
    }
    assertThat(tx.execute("update_tenant_shard", () -> persistence.update(drafts))).isEqualTo(2);
    List<TenantShardRow> rows = tx.execute("load", () -> persistence.loadTenant(tenant));
    assertThat(rows).allMatch(r -> r.generationPageserver() == null);
    assertThat(rows).allMatch(r -> r.placementPolicy().equals(PlacementPolicy.DETACHED));
    assertThat(rows.get(0).generation()).isEqualTo(Generation.of(2));
    // Loaded at start-up all the same, Detached.
    assertThat(tx.execute("list", persistence::listAll))
        .filteredOn(r -> r.id().tenantId().equals(tenant))
        .hasSize(2)
        .allMatch(r -> r.placementPolicy().equals(PlacementPolicy.DETACHED));
  }

  @Autowired org.springframework.jdbc.core.simple.JdbcClient jdbc;

  private void jdbcUpdate(String sql) {
    jdbc.sql(sql).update();
  }
}
