package io.storagecontroller.node;

import io.storagecontroller.model.NodeAvailability;
import io.storagecontroller.model.NodeId;
import io.storagecontroller.model.NodeLifecycle;
import io.storagecontroller.model.NodeSchedulingPolicy;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.List;
import java.util.Optional;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Repository;

/** The {@code nodes} table. Callers run these inside {@code SerializableTransactions}. */
@Repository
public class NodePersistence {
  private static final String COLUMNS =
      "node_id, scheduling_policy, lifecycle, listen_http_addr, listen_http_port, listen_https_port,"
          + " listen_pg_addr, listen_pg_port, listen_grpc_addr, listen_grpc_port, availability_zone_id";

  private final JdbcClient jdbc;

  public NodePersistence(JdbcClient jdbc) {
    this.jdbc = jdbc;
  }

  /** Live nodes (tombstones excluded), as loaded at start-up; availability starts Offline. */
  public List<Node> listLive() {
    return jdbc.sql(
            "SELECT " + COLUMNS + " FROM nodes WHERE lifecycle <> 'deleted' ORDER BY node_id")
        .query(NodePersistence::row)
        .list();
  }

  /** The row for this id, tombstone or not. */
  public Optional<Node> find(NodeId id) {
    return jdbc.sql("SELECT " + COLUMNS + " FROM nodes WHERE node_id = ?")
        .param(id.value())
        .query(NodePersistence::row)
        .optional();
  }

  public void insert(Node node) {
    NodeAddress a = node.address();
    jdbc.sql(
            "INSERT INTO nodes (node_id, scheduling_policy, lifecycle, listen_http_addr, listen_http_port,"
                + " listen_https_port, listen_pg_addr, listen_pg_port, listen_grpc_addr, listen_grpc_port,"
                + " availability_zone_id) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)")
        .params(
            node.id().value(),
            node.scheduling().toDb(),
            node.lifecycle().toDb(),
            a.listenHttpAddr(),
            a.listenHttpPort(),
            a.listenHttpsPort(),
            a.listenPgAddr(),
            a.listenPgPort(),
            a.listenGrpcAddr(),
            a.listenGrpcPort(),
            a.availabilityZoneId())
        .update();
  }

  /** The fields a re-registration may change (https port, gRPC address). */
  public void updateMutableAddress(NodeId id, NodeAddress a) {
    jdbc.sql(
            "UPDATE nodes SET listen_https_port = ?, listen_grpc_addr = ?, listen_grpc_port = ?"
                + " WHERE node_id = ?")
        .params(a.listenHttpsPort(), a.listenGrpcAddr(), a.listenGrpcPort(), id.value())
        .update();
  }

  public void updateSchedulingPolicy(NodeId id, NodeSchedulingPolicy policy) {
    jdbc.sql("UPDATE nodes SET scheduling_policy = ? WHERE node_id = ?")
        .params(policy.toDb(), id.value())
        .update();
  }

  /** Tombstones ({@code lifecycle = 'deleted'}), by id. */
  public List<Node> listDeleted() {
    return jdbc.sql(
            "SELECT " + COLUMNS + " FROM nodes WHERE lifecycle = 'deleted' ORDER BY node_id")
        .query(NodePersistence::row)
        .list();
  }

  /** Makes the row a tombstone; returns how many rows changed (0: unknown or already one). */
  public int markDeleted(NodeId id) {
    return jdbc.sql("UPDATE nodes SET lifecycle = ? WHERE node_id = ? AND lifecycle <> ?")
        .params(NodeLifecycle.DELETED.toDb(), id.value(), NodeLifecycle.DELETED.toDb())
        .update();
  }

  /** Hard-deletes a tombstone (never a live row); returns how many rows went. */
  public int deleteTombstone(NodeId id) {
    return jdbc.sql("DELETE FROM nodes WHERE node_id = ? AND lifecycle = ?")
        .params(id.value(), NodeLifecycle.DELETED.toDb())
        .update();
  }

  private static Node row(ResultSet rs, int rowNum) throws SQLException {
    NodeAddress address =
        new NodeAddress(
            rs.getString("listen_http_addr"),
            rs.getInt("listen_http_port"),
            rs.getObject("listen_https_port", Integer.class),
            rs.getString("listen_pg_addr"),
            rs.getInt("listen_pg_port"),
            rs.getString("listen_grpc_addr"),
            rs.getObject("listen_grpc_port", Integer.class),
            rs.getString("availability_zone_id"));
    return new Node(
        new NodeId(rs.getLong("node_id")),
        address,
        NodeSchedulingPolicy.fromDb(rs.getString("scheduling_policy")),
        NodeLifecycle.fromDb(rs.getString("lifecycle")),
        NodeAvailability.OFFLINE);
  }
}
