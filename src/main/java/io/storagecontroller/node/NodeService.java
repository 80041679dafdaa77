package io.storagecontroller.node;

import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.storagecontroller.http.ApiError;
import io.storagecontroller.model.NodeId;
import io.storagecontroller.model.NodeLifecycle;
import io.storagecontroller.persistence.SerializableTransactions;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.slf4j.MDC;
import org.springframework.stereotype.Service;

/**
 * The fleet of pageservers: registration, listing and configuration. Every change is written to
 * Postgres first and to memory second, so a crash between the two loses nothing that was
 * acknowledged.
 */
@Service
public class NodeService {
  private static final Logger log = LoggerFactory.getLogger(NodeService.class);

  private final NodePersistence persistence;
  private final SerializableTransactions transactions;
  private final Map<NodeId, Node> nodes = new ConcurrentHashMap<>();

  /** Serialises changes to one node set; reads go to the concurrent map without it. */
  private final Object writeLock = new Object();

  public NodeService(
      NodePersistence persistence, SerializableTransactions transactions, MeterRegistry metrics) {
    this.persistence = persistence;
    this.transactions = transactions;
    Gauge.builder("storage_controller_pageserver_nodes", nodes, Map::size)
        .description("Pageservers registered with this controller")
        .register(metrics);
  }

  /** Loads the live nodes at start-up. */
  public void load() {
    List<Node> live = transactions.execute("list_nodes", persistence::listLive);
    synchronized (writeLock) {
      nodes.clear();
      live.forEach(n -> nodes.put(n.id(), n));
    }
    log.info("loaded {} nodes", live.size());
  }

  public List<Node> list() {
    return nodes.values().stream().sorted(Comparator.comparing(Node::id)).toList();
  }

  public Optional<Node> find(NodeId id) {
    return Optional.ofNullable(nodes.get(id));
  }

  public Node get(NodeId id) {
    return find(id).orElseThrow(() -> ApiError.notFound("Node " + id + " not registered"));
  }

  /** Registers a pageserver; repeating an identical registration is a no-op. */
  public void register(NodeRegisterRequest request) {
    NodeAddress address = request.toAddress();
    NodeId id = request.nodeId();
    requireResolvable(id, address);
    synchronized (writeLock) {
      MDC.put("node_id", id.toString());
      try {
        Node registered =
            transactions.execute(
                "insert_node",
                () -> {
                  Optional<Node> existing = persistence.find(id);
                  if (existing.isEmpty()) {
                    Node node = Node.registered(id, address);
                    persistence.insert(node);
                    return node;
                  }
                  Node node = existing.get();
                  if (node.lifecycle() == NodeLifecycle.DELETED) {
                    throw ApiError.conflict(
                        "Node "
                            + id
                            + " was deleted and its id is tombstoned; it cannot register again");
                  }
                  if (!node.address().sameIdentityAs(address)) {
                    throw ApiError.conflict("Node is already registered with different address");
                  }
                  if (!node.address().sameMutableFieldsAs(address)) {
                    persistence.updateMutableAddress(id, address);
                  }
                  return node.withAddress(address);
                });
        Node previous = nodes.get(id);
        Node inMemory = previous == null ? registered : previous.withAddress(registered.address());
        nodes.put(id, inMemory);
        if (previous == null) {
          log.info(
              "registered node at {} in zone {}",
              address.httpBaseUrl(),
              address.availabilityZoneId());
        }
      } finally {
        MDC.remove("node_id");
      }
    }
  }

  /** Sets a node's availability (memory only) and scheduling policy (persisted). */
  public void configure(NodeConfigureRequest request) {
    NodeId id = request.nodeId();
    synchronized (writeLock) {
      Node node = get(id);
      if (request.scheduling() != null && request.scheduling() != node.scheduling()) {
        transactions.run(
            "update_node", () -> persistence.updateSchedulingPolicy(id, request.scheduling()));
        node = node.withScheduling(request.scheduling());
      }
      if (request.availability() != null) {
        node = node.withAvailability(request.availability());
      }
      nodes.put(id, node);
      log.info(
          "configured node {}: availability={} scheduling={}",
          id,
          node.availability(),
          node.scheduling());
    }
  }

  private static void requireResolvable(NodeId id, NodeAddress address) {
    try {
      InetAddress.getByName(address.listenHttpAddr());
    } catch (UnknownHostException e) {
      throw ApiError.unavailable(
          "Node " + id + " listen_http_addr '" + address.listenHttpAddr() + "' does not resolve");
    }
  }
}
