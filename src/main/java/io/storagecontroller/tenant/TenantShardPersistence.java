package io.storagecontroller.tenant;

import io.storagecontroller.model.Generation;
import io.storagecontroller.model.NodeId;
import io.storagecontroller.model.PlacementPolicy;
import io.storagecontroller.model.ShardCount;
import io.storagecontroller.model.ShardNumber;
import io.storagecontroller.model.ShardSchedulingPolicy;
import io.storagecontroller.model.ShardStripeSize;
import io.storagecontroller.model.TenantId;
import io.storagecontroller.model.TenantShardId;
import java.sql.Array;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Collectors;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Repository;

/**
 * The {@code tenant_shards} table. Callers run these inside {@code SerializableTransactions};
 * generations change only here, by compare-and-set style single statements.
 */
@Repository
public class TenantShardPersistence {
  /**
   * The largest generation and stripe size the table holds: INTEGER columns, as in Neon's schema,
   * though the API's types are u32. Requests past it are refused with a 400 before any write.
   */
  public static final long MAX_STORED = Integer.MAX_VALUE;

  private static final String COLUMNS =
      "tenant_id, shard_number, shard_count, shard_stripe_size, generation, generation_pageserver,"
          + " placement_policy, splitting, config, scheduling_policy, preferred_az_id,"
          + " intended_attached_node, intended_secondary_nodes";

  private final JdbcClient jdbc;

  public TenantShardPersistence(JdbcClient jdbc) {
    this.jdbc = jdbc;
  }

  /** Inserts a tenant's shards and their scrubber-health rows. */
  public void insert(Collection<TenantShardRow> rows) {
    for (TenantShardRow r : rows) {
      jdbc.sql(
              "INSERT INTO tenant_shards ("
                  + COLUMNS
                  + ") VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?::bigint[])")
          .params(
              r.id().tenantId().toString(),
              r.id().shardNumber().value(),
              r.id().shardCount().literal(),
              r.stripeSize().value(),
              r.generation() == null ? null : r.generation().value(),
              r.generationPageserver() == null ? null : r.generationPageserver().value(),
              r.placementPolicy().toJson(),
              r.splitting() ? 1 : 0,
              r.config(),
              r.schedulingPolicy().toDb(),
              r.preferredAz(),
              r.intendedAttached() == null ? null : r.intendedAttached().value(),
              arrayLiteral(r.intendedSecondaries()))
          .update();
      jdbc.sql(
              "INSERT INTO metadata_health (tenant_id, shard_number, shard_count) VALUES (?, ?, ?)")
          .params(
              r.id().tenantId().toString(),
              r.id().shardNumber().value(),
              r.id().shardCount().literal())
          .update();
    }
  }

  /** Every shard not Detached, as loaded at start-up (Detached tenants load on demand). */
  public List<TenantShardRow> listAttachable() {
    return jdbc.sql(
            "SELECT "
                + COLUMNS
                + " FROM tenant_shards WHERE placement_policy <> '\"Detached\"'"
                + " ORDER BY tenant_id, shard_number, shard_count")
        .query(TenantShardPersistence::row)
        .list();
  }

  public List<TenantShardRow> loadTenant(TenantId tenant) {
    return jdbc.sql(
            "SELECT "
                + COLUMNS
                + " FROM tenant_shards WHERE tenant_id = ? ORDER BY shard_number, shard_count")
        .param(tenant.toString())
        .query(TenantShardPersistence::row)
        .list();
  }

  /**
   * Issues the next generation of a shard to {@code node}: the only way a single shard's generation
   * changes. Empty when the shard no longer exists.
   */
  public Optional<Generation> incrementGeneration(TenantShardId shard, NodeId node) {
    return jdbc.sql(
            "UPDATE tenant_shards SET generation = COALESCE(generation, 0) + 1,"
                + " generation_pageserver = ?"
                + " WHERE tenant_id = ? AND shard_number = ? AND shard_count = ? RETURNING generation")
        .params(
            node.value(),
            shard.tenantId().toString(),
            shard.shardNumber().value(),
            shard.shardCount().literal())
        .query((rs, n) -> Generation.of(rs.getLong(1)))
        .optional();
  }

  /** Re-attach: one statement bumps every shard whose generation was issued to this node. */
  public List<TenantShardRow> incrementGenerationsOf(NodeId node) {
    return jdbc.sql(
            "UPDATE tenant_shards SET generation = generation + 1"
                + " WHERE generation_pageserver = ? AND generation IS NOT NULL RETURNING "
                + COLUMNS)
        .param(node.value())
        .query(TenantShardPersistence::row)
        .list();
  }

  /** The stored generations of these shards (for validate); unknown shards are absent. */
  public Map<TenantShardId, Generation> generations(Collection<TenantShardId> shards) {
    if (shards.isEmpty()) {
      return Map.of();
    }
    List<String> tenants = shards.stream().map(s -> s.tenantId().toString()).distinct().toList();
    return jdbc
        .sql(
            "SELECT tenant_id, shard_number, shard_count, generation FROM tenant_shards"
                + " WHERE tenant_id = ANY(?::varchar[]) AND generation IS NOT NULL")
        .param(tenants.toArray(String[]::new))
        .query((rs, n) -> Map.entry(shardId(rs), Generation.of(rs.getLong("generation"))))
        .list()
        .stream()
        .filter(e -> shards.contains(e.getKey()))
        .collect(Collectors.toMap(Map.Entry::getKey, Map.Entry::getValue));
  }

  /** Persists the intended placement, so a restart does not reshuffle it. */
  public void updateIntent(TenantShardId shard, NodeId attached, List<NodeId> secondaries) {
    jdbc.sql(
            "UPDATE tenant_shards SET intended_attached_node = ?, intended_secondary_nodes = ?::bigint[]"
                + " WHERE tenant_id = ? AND shard_number = ? AND shard_count = ?")
        .params(
            attached == null ? null : attached.value(),
            arrayLiteral(secondaries),
            shard.tenantId().toString(),
            shard.shardNumber().value(),
            shard.shardCount().literal())
        .update();
  }

  /**
   * Sets placement and scheduling policy for every shard of a tenant. Leaving attached placement
   * clears {@code generation_pageserver}: no node holds the current generation any more.
   */
  public int updatePolicy(
      TenantId tenant, PlacementPolicy placement, ShardSchedulingPolicy scheduling) {
    boolean detach = !(placement instanceof PlacementPolicy.Attached);
    return jdbc.sql(
            "UPDATE tenant_shards SET placement_policy = ?, scheduling_policy = ?,"
                + " generation_pageserver = CASE WHEN ? THEN NULL ELSE generation_pageserver END"
                + " WHERE tenant_id = ?")
        .params(placement.toJson(), scheduling.toDb(), detach, tenant.toString())
        .update();
  }

  public void updateConfig(TenantId tenant, String config) {
    jdbc.sql("UPDATE tenant_shards SET config = ? WHERE tenant_id = ?")
        .params(config, tenant.toString())
        .update();
  }

  /**
   * Sets one shard's placement policy (the debug attach-hook). Leaving attached placement clears
   * {@code generation_pageserver}, as {@link #updatePolicy} does for a whole tenant.
   */
  public int updateShardPolicy(TenantShardId shard, PlacementPolicy placement) {
    boolean detach = !(placement instanceof PlacementPolicy.Attached);
    return jdbc.sql(
            "UPDATE tenant_shards SET placement_policy = ?,"
                + " generation_pageserver = CASE WHEN ? THEN NULL ELSE generation_pageserver END"
                + " WHERE tenant_id = ? AND shard_number = ? AND shard_count = ?")
        .params(
            placement.toJson(),
            detach,
            shard.tenantId().toString(),
            shard.shardNumber().value(),
            shard.shardCount().literal())
        .update();
  }

  /**
   * The first attach after onboarding as Secondary adopts the caller's generation; afterwards the
   * controller alone issues generations, so a stored one is never replaced.
   */
  public int adoptGeneration(TenantShardId shard, Generation generation) {
    return jdbc.sql(
            "UPDATE tenant_shards SET generation = ?"
                + " WHERE tenant_id = ? AND shard_number = ? AND shard_count = ? AND generation IS NULL")
        .params(
            generation.value(),
            shard.tenantId().toString(),
            shard.shardNumber().value(),
            shard.shardCount().literal())
        .update();
  }

  public int deleteTenant(TenantId tenant) {
    return jdbc.sql("DELETE FROM tenant_shards WHERE tenant_id = ?")
        .param(tenant.toString())
        .update();
  }

  private static String arrayLiteral(List<NodeId> nodes) {
    return nodes.stream()
        .map(n -> Long.toString(n.value()))
        .collect(Collectors.joining(",", "{", "}"));
  }

  private static TenantShardId shardId(ResultSet rs) throws SQLException {
    return new TenantShardId(
        TenantId.parse(rs.getString("tenant_id")),
        ShardNumber.of(rs.getInt("shard_number")),
        ShardCount.of(rs.getInt("shard_count")));
  }

  static TenantShardRow row(ResultSet rs, int rowNum) throws SQLException {
    long generation = rs.getLong("generation");
    boolean noGeneration = rs.wasNull();
    long pageserver = rs.getLong("generation_pageserver");
    boolean noPageserver = rs.wasNull();
    long attached = rs.getLong("intended_attached_node");
    boolean noAttached = rs.wasNull();
    return new TenantShardRow(
        shardId(rs),
        ShardStripeSize.of(rs.getLong("shard_stripe_size")),
        noGeneration ? null : Generation.of(generation),
        // Jan-Feb 2024 Neon wrote i64::MAX for "none"; treat it as none.
        noPageserver || pageserver == Long.MAX_VALUE ? null : new NodeId(pageserver),
        PlacementPolicy.fromJson(rs.getString("placement_policy")),
        rs.getInt("splitting") != 0,
        rs.getString("config"),
        ShardSchedulingPolicy.fromDb(rs.getString("scheduling_policy")),
        rs.getString("preferred_az_id"),
        noAttached ? null : new NodeId(attached),
        nodeIds(rs.getArray("intended_secondary_nodes")));
  }

  private static List<NodeId> nodeIds(Array array) throws SQLException {
    if (array == null) {
      return List.of();
    }
    Object[] values = (Object[]) array.getArray();
    List<NodeId> ids = new ArrayList<>(values.length);
    Arrays.stream(values).forEach(v -> ids.add(new NodeId(((Number) v).longValue())));
    return ids;
  }
}
