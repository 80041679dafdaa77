package io.storagecontroller.node;

import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.storagecontroller.config.ControllerProperties;
import io.storagecontroller.model.NodeAvailability;
import io.storagecontroller.model.NodeId;
import io.storagecontroller.model.NodeLifecycle;
import io.storagecontroller.model.NodeSchedulingPolicy;
import io.storagecontroller.model.Refusal;
import io.storagecontroller.persistence.SerializableTransactions;
import io.storagecontroller.scheduler.Scheduler;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.Comparator;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.stream.Collectors;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.slf4j.MDC;
import org.springframework.context.ApplicationEventPublisher;
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
  private final Scheduler scheduler;
  private final ApplicationEventPublisher events;
  private final Map<NodeId, Node> nodes = new ConcurrentHashMap<>();
  // --use-https-pageserver-api: a pageserver registers with its https port or not at all.
  private final boolean httpsRequired;

  /** Serialises changes to one node set; reads go to the concurrent map without it. */
  private final Object writeLock = new Object();

  public NodeService(
      NodePersistence persistence,
      SerializableTransactions transactions,
      Scheduler scheduler,
      ApplicationEventPublisher events,
      MeterRegistry metrics,
      ControllerProperties properties) {
    this.httpsRequired = properties.useHttpsPageserverApi();
    this.persistence = persistence;
    this.transactions = transactions;
    this.scheduler = scheduler;
    this.events = events;
    Gauge.builder("storage_controller_pageserver_nodes", nodes, Map::size)
        .description("Pageservers registered with this controller")
        .register(metrics);
    Gauge.builder(
            "storage_controller_https_pageserver_nodes",
            nodes,
            all -> all.values().stream().filter(n -> n.address().listenHttpsPort() != null).count())
        .description("Registered pageservers that serve HTTPS")
        .register(metrics);
  }

  /** Loads the live nodes at start-up. */
  /** Loads the registered nodes (not deleted) into memory and the scheduler; returns their ids. */
  public Set<NodeId> load() {
    List<Node> live = transactions.execute("list_nodes", persistence::listLive);
    synchronized (writeLock) {
      nodes.clear();
      live.forEach(this::put);
    }
    log.info("loaded {} nodes", live.size());
    return live.stream().map(Node::id).collect(Collectors.toSet());
  }

  /**
   * A candidate's read of the registered nodes into the scheduler only, so that the shards it reads
   * ahead find their placements; they stay out of this service (no heartbeat, no availability
   * change, no event) until the takeover's {@link #load}. Returns them.
   */
  public List<Node> readAhead() {
    List<Node> live = transactions.execute("list_nodes", persistence::listLive);
    synchronized (writeLock) {
      live.forEach(
          node ->
              scheduler.upsertNode(
                  node.id(),
                  node.address().availabilityZoneId(),
                  node.scheduling(),
                  node.availability()));
    }
    return live;
  }

  /**
   * Takes out of the scheduler nodes deleted since they were loaded (a candidate's read ahead),
   * once no shard in memory counts on them.
   */
  public void forgetDeleted(Set<NodeId> deleted) {
    deleted.forEach(scheduler::removeNode);
  }

  public List<Node> list() {
    return nodes.values().stream().sorted(Comparator.comparing(Node::id)).toList();
  }

  public Optional<Node> find(NodeId id) {
    return Optional.ofNullable(nodes.get(id));
  }

  public Node get(NodeId id) {
    return find(id).orElseThrow(() -> Refusal.notFound("Node " + id + " not registered"));
  }

  /** Registers a pageserver; repeating an identical registration is a no-op. */
  public void register(NodeRegisterRequest request) {
    NodeAddress address = request.toAddress();
    NodeId id = request.nodeId();
    if (httpsRequired && address.listenHttpsPort() == null) {
      throw Refusal.preconditionFailed(
          "Node " + id + " has no https port, but use_https is enabled");
    }
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
                    throw Refusal.conflict(
                        "Node "
                            + id
                            + " was deleted and its id is tombstoned; it cannot register again");
                  }
                  if (!node.address().sameIdentityAs(address)) {
                    throw Refusal.conflict("Node is already registered with different address");
                  }
                  if (!node.address().sameMutableFieldsAs(address)) {
                    persistence.updateMutableAddress(id, address);
                  }
                  return node.withAddress(address);
                });
        Node previous = nodes.get(id);
        Node inMemory = previous == null ? registered : previous.withAddress(registered.address());
        put(inMemory);
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

  /**
   * Sets a node's availability (memory only) and scheduling policy (persisted). An operator's
   * Offline evacuates the node as a heartbeat's does (Neon's node_configure).
   */
  public void configure(NodeConfigureRequest request) {
    NodeId id = request.nodeId();
    boolean wentOffline;
    synchronized (writeLock) {
      Node node = get(id);
      wentOffline =
          request.availability() == NodeAvailability.OFFLINE
              && node.availability() != NodeAvailability.OFFLINE;
      if (request.scheduling() != null && request.scheduling() != node.scheduling()) {
        transactions.run(
            "update_node", () -> persistence.updateSchedulingPolicy(id, request.scheduling()));
        node = node.withScheduling(request.scheduling());
      }
      if (request.availability() != null) {
        node = node.withAvailability(request.availability());
      }
      put(node);
      log.info(
          "configured node {}: availability={} scheduling={}",
          id,
          node.availability(),
          node.scheduling());
    }
    if (wentOffline) {
      events.publishEvent(new NodeWentOffline(id));
    }
  }

  /**
   * A restarted pageserver ends whatever drain, fill or restart pause it was in (Neon: those become
   * Active, Deleting becomes Pause).
   */
  public void resetSchedulingOnReAttach(NodeId id) {
    NodeSchedulingPolicy current = get(id).scheduling();
    NodeSchedulingPolicy reset =
        switch (current) {
          case PAUSE_FOR_RESTART, DRAINING, FILLING -> NodeSchedulingPolicy.ACTIVE;
          case DELETING -> NodeSchedulingPolicy.PAUSE;
          case ACTIVE, PAUSE -> current;
        };
    if (reset != current) {
      configure(new NodeConfigureRequest(id, null, reset));
    }
  }

  /** Availability as heartbeats and re-attach see it (memory only). */
  public void setAvailability(NodeId id, NodeAvailability availability) {
    NodeAvailability before = null;
    synchronized (writeLock) {
      Node node = nodes.get(id);
      if (node != null && node.availability() != availability) {
        before = node.availability();
        put(node.withAvailability(availability));
        log.info("node {} is now {}", id, availability);
      }
    }
    if (before != null && availability == NodeAvailability.OFFLINE) {
      events.publishEvent(new NodeWentOffline(id));
    } else if (before != null && availability == NodeAvailability.ACTIVE) {
      events.publishEvent(new NodeCameBack(id));
    }
  }

  /**
   * Forgets the node in memory and in the scheduler (its row is already a tombstone). Every intent
   * must have dropped it first: the scheduler refuses a node that still has shards counted.
   */
  public boolean forget(NodeId id) {
    synchronized (writeLock) {
      scheduler.removeNode(id);
      boolean removed = nodes.remove(id) != null;
      if (removed) {
        log.info("node {} forgotten", id);
      }
      return removed;
    }
  }

  /**
   * Tombstones the node (its id may not register or re-attach again until the tombstone is
   * removed), then forgets it in memory and in the scheduler: every intent must have dropped it.
   */
  public void tombstone(NodeId id) {
    transactions.run("delete_node", () -> persistence.markDeleted(id));
    forget(id);
  }

  /**
   * A node, other than {@code except} (null: any), whose drain, fill or deletion is running: Neon
   * runs one such background operation at a time and lets nothing else reconfigure nodes meanwhile.
   */
  public Optional<Node> inBackgroundOperation(NodeId except) {
    return nodes.values().stream()
        .filter(n -> !n.id().equals(except))
        .filter(
            n ->
                n.scheduling() == NodeSchedulingPolicy.DRAINING
                    || n.scheduling() == NodeSchedulingPolicy.FILLING
                    || n.scheduling() == NodeSchedulingPolicy.DELETING)
        .min(Comparator.comparing(Node::id));
  }

  /** Nodes a reconcile may call now: availability Active. */
  public Set<NodeId> availableNodes() {
    Set<NodeId> available = new HashSet<>();
    nodes.values().stream()
        .filter(n -> n.availability() == NodeAvailability.ACTIVE)
        .forEach(n -> available.add(n.id()));
    return available;
  }

  /** Memory and the scheduler's view of the node change together. */
  private void put(Node node) {
    nodes.put(node.id(), node);
    scheduler.upsertNode(
        node.id(), node.address().availabilityZoneId(), node.scheduling(), node.availability());
  }

  private static void requireResolvable(NodeId id, NodeAddress address) {
    try {
      InetAddress.getByName(address.listenHttpAddr());
    } catch (UnknownHostException e) {
      throw Refusal.unavailable(
          "Node " + id + " listen_http_addr '" + address.listenHttpAddr() + "' does not resolve");
    }
  }
}
