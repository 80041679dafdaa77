package io.storagecontroller.shard;

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
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collection;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Collectors;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Repository;

/**
 * The {@code tenant_shards} table (and the {@code metadata_health} rows made with each shard). Only
 * {@link ShardStore} calls it, inside its SERIALIZABLE transactions. A generation changes only by
 * the single compare-and-set statements here, and never goes backwards: edits write the columns
 * they own and leave {@code generation} alone unless it is still NULL.
 */
@Repository
class TenantShardPersistence {
  private static final String COLUMNS =
      "tenant_id, shard_number, shard_count, shard_stripe_size, generation, generation_pageserver,"
          + " placement_policy, splitting, config, scheduling_policy, preferred_az_id,"
          + " intended_attached_node, intended_secondary_nodes, held_by";

  private static final String BY_ID =
      " WHERE tenant_id = ? AND shard_number = ? AND shard_count = ?";

  private final JdbcClient jdbc;
  private final JdbcTemplate batches;

  TenantShardPersistence(JdbcClient jdbc, JdbcTemplate batches) {
    this.jdbc = jdbc;
    this.batches = batches;
  }

  /** Inserts shards and their scrubber-health rows. */
  void insert(Collection<TenantShardRow> rows) {
    List<TenantShardRow> all = List.copyOf(rows);
    batches.batchUpdate(
        "INSERT INTO tenant_shards ("
            + COLUMNS
            + ") VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?::bigint[], ?)",
        all,
        all.size(),
        (ps, r) -> {
          setId(ps, 1, r.id());
          ps.setLong(4, r.stripeSize().value());
          ps.setObject(5, r.generation() == null ? null : r.generation().value());
          ps.setObject(
              6, r.generationPageserver() == null ? null : r.generationPageserver().value());
          ps.setString(7, r.placementPolicy().toJson());
          ps.setInt(8, r.splitting() ? 1 : 0);
          ps.setString(9, r.config());
          ps.setString(10, r.schedulingPolicy().toDb());
          ps.setString(11, r.preferredAz());
          ps.setObject(12, r.intendedAttached() == null ? null : r.intendedAttached().value());
          ps.setString(13, arrayLiteral(r.intendedSecondaries()));
          ps.setObject(14, r.heldBy());
        });
    batches.batchUpdate(
        "INSERT INTO metadata_health (tenant_id, shard_number, shard_count) VALUES (?, ?, ?)",
        all,
        all.size(),
        (ps, r) -> setId(ps, 1, r.id()));
  }

  /**
   * Writes what edits change: policies, config, intended placement, the splitting mark and the
   * holder; a NULL generation takes the adopted one; leaving attached placement clears {@code
   * generation_pageserver}. Returns how many rows it found.
   */
  int update(List<ShardDraft> drafts) {
    int[][] counts =
        batches.batchUpdate(
            "UPDATE tenant_shards SET placement_policy = ?, scheduling_policy = ?, config = ?,"
                + " preferred_az_id = ?, intended_attached_node = ?,"
                + " intended_secondary_nodes = ?::bigint[], splitting = ?, held_by = ?,"
                + " generation = COALESCE(generation, ?),"
                + " generation_pageserver = CASE WHEN ? THEN NULL ELSE generation_pageserver END"
                + BY_ID,
            drafts,
            drafts.size(),
            (ps, d) -> {
              ps.setString(1, d.policy().toJson());
              ps.setString(2, d.schedulingPolicy().toDb());
              ps.setString(3, d.config().toString());
              ps.setString(4, d.intent().preferredAz());
              ps.setObject(5, d.intent().attached() == null ? null : d.intent().attached().value());
              ps.setString(6, arrayLiteral(d.intent().secondaries()));
              ps.setInt(7, d.splitting() ? 1 : 0);
              ps.setObject(8, d.heldBy());
              ps.setObject(9, d.adoptedGeneration() == null ? null : d.adoptedGeneration().value());
              ps.setBoolean(10, d.clearsGenerationPageserver());
              setId(ps, 11, d.id());
            });
    return Arrays.stream(counts).flatMapToInt(Arrays::stream).map(c -> Math.max(c, 0)).sum();
  }

  /**
   * Every shard, Detached ones included, as loaded at start-up: a tenant left Detached is still the
   * control plane's to describe, re-attach, time-travel or delete after a restart.
   */
  List<TenantShardRow> listAll() {
    return jdbc.sql(
            "SELECT "
                + COLUMNS
                + " FROM tenant_shards ORDER BY tenant_id, shard_number, shard_count")
        .query(TenantShardPersistence::row)
        .list();
  }

  /**
   * A row and its version: PostgreSQL's {@code xmin}, the transaction that wrote this version of
   * the row. Any write of the row gives it a new one, so an equal version is an unchanged row.
   */
  record Versioned(TenantShardRow row, long version) {}

  /**
   * {@link #listAll} with each row's version, for a read ahead of a takeover, and the read's
   * snapshot xmin: every transaction before it had ended, so a row written after the read has an
   * {@code xmin} at or past it (see {@link #writtenSince}). An empty table gives no xmin (0).
   */
  ReadAhead listAllVersioned() {
    List<Versioned> rows = new ArrayList<>();
    long[] snapshotXmin = {0};
    jdbc.sql(
            "SELECT "
                + COLUMNS
                + ", xmin::text::bigint AS version, s.snapshot_xmin FROM tenant_shards,"
                + " (SELECT txid_snapshot_xmin(txid_current_snapshot()) AS snapshot_xmin) s")
        .query(
            (ResultSet rs) -> {
              rows.add(new Versioned(row(rs, 0), rs.getLong("version")));
              snapshotXmin[0] = rs.getLong("snapshot_xmin");
            });
    return new ReadAhead(rows, snapshotXmin[0]);
  }

  /** {@link #listAllVersioned}'s answer. */
  record ReadAhead(List<Versioned> rows, long snapshotXmin) {}

  /**
   * The rows, with their versions, of every tenant with a row written since a read whose snapshot
   * xmin was {@code snapshotXmin} (PostgreSQL's {@code age} orders transaction ids across
   * wraparound), how many rows the table holds, and this read's own snapshot xmin: all in one
   * statement, one snapshot. Deletions leave no row to find: the caller tells them by the count.
   */
  WrittenSince writtenSince(long snapshotXmin) {
    List<Versioned> rows = new ArrayList<>();
    long[] totals = {0, 0};
    jdbc.sql(
            "SELECT s.total, s.snapshot_xmin, t.* FROM (SELECT (SELECT count(*) FROM tenant_shards)"
                + " AS total, txid_snapshot_xmin(txid_current_snapshot()) AS snapshot_xmin) s"
                + " LEFT JOIN (SELECT "
                + COLUMNS
                + ", xmin::text::bigint AS version FROM tenant_shards WHERE tenant_id IN (SELECT"
                + " tenant_id FROM tenant_shards WHERE age(xmin) <= age((?::bigint % 4294967296)"
                + "::text::xid))) t ON true")
        .param(snapshotXmin)
        .query(
            (ResultSet rs) -> {
              totals[0] = rs.getLong("total");
              totals[1] = rs.getLong("snapshot_xmin");
              if (rs.getString("tenant_id") != null) {
                rows.add(new Versioned(row(rs, 0), rs.getLong("version")));
              }
            });
    return new WrittenSince(rows, totals[0], totals[1]);
  }

  /** {@link #writtenSince}'s answer. */
  record WrittenSince(List<Versioned> rows, long total, long snapshotXmin) {}

  /**
   * What was written since {@code versions} (each shard's row version when read ahead) were read:
   * the rows, in full, of every tenant with a row written or created since, and which shards exist
   * now (those absent were deleted). Reads one small column set of every row, and full rows only of
   * the changed tenants.
   */
  Changes changedSince(Map<TenantShardId, Long> versions) {
    Set<TenantShardId> present = new HashSet<>(versions.size() * 2);
    Set<String> changed = new HashSet<>();
    jdbc.sql(
            "SELECT tenant_id, shard_number, shard_count, xmin::text::bigint AS version"
                + " FROM tenant_shards")
        .query(
            (ResultSet rs) -> {
              TenantShardId id = shardId(rs);
              present.add(id);
              Long read = versions.get(id);
              if (read == null || read != rs.getLong("version")) {
                changed.add(id.tenantId().toString());
              }
            });
    List<TenantShardRow> rows =
        changed.isEmpty()
            ? List.of()
            : jdbc.sql(
                    "SELECT " + COLUMNS + " FROM tenant_shards WHERE tenant_id = ANY(?::varchar[])")
                .param(changed.toArray(String[]::new))
                .query(TenantShardPersistence::row)
                .list();
    return new Changes(
        changed.stream().map(TenantId::parse).collect(Collectors.toSet()), rows, present);
  }

  /** {@link #changedSince}'s answer. */
  record Changes(Set<TenantId> tenants, List<TenantShardRow> rows, Set<TenantShardId> present) {}

  List<TenantShardRow> loadTenant(TenantId tenant) {
    return jdbc.sql(
            "SELECT "
                + COLUMNS
                + " FROM tenant_shards WHERE tenant_id = ? ORDER BY shard_number, shard_count")
        .param(tenant.toString())
        .query(TenantShardPersistence::row)
        .list();
  }

  /** Issues the next generation of a shard to {@code node}; empty when the shard is gone. */
  Optional<Generation> incrementGeneration(TenantShardId shard, NodeId node) {
    return Optional.ofNullable(incrementGenerations(Map.of(shard, node)).get(shard));
  }

  /**
   * Issues the next generation of each shard to its node in one statement; shards that are gone are
   * absent from the answer. A shard that never had a generation starts above its tenant id's floor.
   */
  Map<TenantShardId, Generation> incrementGenerations(Map<TenantShardId, NodeId> toNodes) {
    int n = toNodes.size();
    String[] tenants = new String[n];
    int[] numbers = new int[n];
    int[] counts = new int[n];
    long[] nodes = new long[n];
    int i = 0;
    for (Map.Entry<TenantShardId, NodeId> e : toNodes.entrySet()) {
      tenants[i] = e.getKey().tenantId().toString();
      numbers[i] = e.getKey().shardNumber().value();
      counts[i] = e.getKey().shardCount().literal();
      nodes[i++] = e.getValue().value();
    }
    return jdbc
        .sql(
            "UPDATE tenant_shards t SET generation = COALESCE(t.generation, (SELECT f.generation"
                + " FROM tenant_generation_floors f WHERE f.tenant_id = t.tenant_id), 0) + 1,"
                + " generation_pageserver = v.node"
                + " FROM unnest(?::varchar[], ?::int[], ?::int[], ?::bigint[])"
                + " AS v(tenant_id, shard_number, shard_count, node)"
                + " WHERE t.tenant_id = v.tenant_id AND t.shard_number = v.shard_number"
                + " AND t.shard_count = v.shard_count"
                + " RETURNING t.tenant_id, t.shard_number, t.shard_count, t.generation")
        .params(tenants, numbers, counts, nodes)
        .query((rs, row) -> Map.entry(shardId(rs), Generation.of(rs.getLong("generation"))))
        .list()
        .stream()
        .collect(Collectors.toMap(Map.Entry::getKey, Map.Entry::getValue));
  }

  /** The highest generation an earlier tenant of this id had (0: none). */
  long generationFloor(TenantId tenant) {
    return jdbc.sql("SELECT generation FROM tenant_generation_floors WHERE tenant_id = ?")
        .param(tenant.toString())
        .query(Long.class)
        .optional()
        .orElse(0L);
  }

  /** Re-attach: one statement bumps every shard whose generation was issued to this node. */
  List<TenantShardRow> incrementGenerationsOf(NodeId node) {
    return jdbc.sql(
            "UPDATE tenant_shards SET generation = generation + 1"
                + " WHERE generation_pageserver = ? AND generation IS NOT NULL RETURNING "
                + COLUMNS)
        .param(node.value())
        .query(TenantShardPersistence::row)
        .list();
  }

  /** The stored generations of these shards (for validate); unknown shards are absent. */
  Map<TenantShardId, Generation> generations(Collection<TenantShardId> shards) {
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

  /** Removes the node from every intended placement (the node is being forgotten). */
  int removeFromIntents(NodeId node) {
    return jdbc.sql(
            "UPDATE tenant_shards SET"
                + " intended_attached_node = NULLIF(intended_attached_node, ?),"
                + " intended_secondary_nodes = array_remove(intended_secondary_nodes, ?)"
                + " WHERE intended_attached_node = ? OR ? = ANY(intended_secondary_nodes)")
        .params(node.value(), node.value(), node.value(), node.value())
        .update();
  }

  /** Releases every shard the operation holds; returns how many. */
  int releaseHeldBy(long operationId) {
    return jdbc.sql("UPDATE tenant_shards SET held_by = NULL WHERE held_by = ?")
        .param(operationId)
        .update();
  }

  /** Holders whose operation is no longer running (a release that did not happen). */
  List<Long> finishedHolders() {
    return jdbc.sql(
            "SELECT DISTINCT t.held_by FROM tenant_shards t JOIN operations o ON o.id = t.held_by"
                + " WHERE o.state <> 'running'")
        .query(Long.class)
        .list();
  }

  /**
   * The split's abort: the parents are idle again and released. Returns how many it found
   * splitting.
   */
  int endSplitting(TenantId tenant) {
    return jdbc.sql(
            "UPDATE tenant_shards SET splitting = 0, held_by = NULL"
                + " WHERE tenant_id = ? AND splitting <> 0")
        .param(tenant.toString())
        .update();
  }

  /** Removes a tenant's shards of one count (the parents a split replaces). */
  int deleteShards(TenantId tenant, ShardCount count) {
    return jdbc.sql("DELETE FROM tenant_shards WHERE tenant_id = ? AND shard_count = ?")
        .params(tenant.toString(), count.literal())
        .update();
  }

  /** Forgets the tenant's shards, keeping their highest generation as the tenant id's floor. */
  int deleteTenant(TenantId tenant) {
    jdbc.sql(
            "INSERT INTO tenant_generation_floors (tenant_id, generation)"
                + " SELECT tenant_id, MAX(generation) FROM tenant_shards"
                + " WHERE tenant_id = ? AND generation IS NOT NULL GROUP BY tenant_id"
                + " ON CONFLICT (tenant_id) DO UPDATE SET generation ="
                + " GREATEST(tenant_generation_floors.generation, EXCLUDED.generation)")
        .param(tenant.toString())
        .update();
    return jdbc.sql("DELETE FROM tenant_shards WHERE tenant_id = ?")
        .param(tenant.toString())
        .update();
  }

  /**
   * The scrubber's verdicts: each shard's health, scrubbed at {@code now} (rows made if missing).
   */
  void recordScrub(Map<TenantShardId, Boolean> healthy, OffsetDateTime now) {
    List<Map.Entry<TenantShardId, Boolean>> all = List.copyOf(healthy.entrySet());
    batches.batchUpdate(
        "INSERT INTO metadata_health (tenant_id, shard_number, shard_count, healthy,"
            + " last_scrubbed_at) VALUES (?, ?, ?, ?, ?) ON CONFLICT (tenant_id, shard_number,"
            + " shard_count) DO UPDATE SET healthy = EXCLUDED.healthy,"
            + " last_scrubbed_at = EXCLUDED.last_scrubbed_at",
        all,
        all.size(),
        (ps, e) -> {
          setId(ps, 1, e.getKey());
          ps.setBoolean(4, e.getValue());
          ps.setObject(5, now);
        });
  }

  /** Shards the scrubber last found unhealthy. */
  List<TenantShardId> unhealthy() {
    return jdbc.sql(
            "SELECT tenant_id, shard_number, shard_count FROM metadata_health WHERE NOT healthy"
                + " ORDER BY tenant_id, shard_number, shard_count")
        .query((rs, n) -> shardId(rs))
        .list();
  }

  /** Health records not scrubbed since {@code since}, oldest first. */
  List<MetadataHealthRecord> scrubbedBefore(OffsetDateTime since) {
    return jdbc.sql(
            "SELECT tenant_id, shard_number, shard_count, healthy, last_scrubbed_at"
                + " FROM metadata_health WHERE last_scrubbed_at < ?"
                + " ORDER BY last_scrubbed_at, tenant_id, shard_number, shard_count")
        .param(since)
        .query(
            (rs, n) ->
                new MetadataHealthRecord(
                    shardId(rs),
                    rs.getBoolean("healthy"),
                    rs.getObject("last_scrubbed_at", OffsetDateTime.class)))
        .list();
  }

  private static void setId(PreparedStatement ps, int first, TenantShardId id) throws SQLException {
    ps.setString(first, id.tenantId().toString());
    ps.setInt(first + 1, id.shardNumber().value());
    ps.setInt(first + 2, id.shardCount().literal());
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
    long heldBy = rs.getLong("held_by");
    boolean notHeld = rs.wasNull();
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
        nodeIds(rs.getArray("intended_secondary_nodes")),
        notHeld ? null : heldBy);
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
