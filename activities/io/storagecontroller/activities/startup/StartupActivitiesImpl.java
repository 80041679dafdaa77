package io.storagecontroller.activities.startup;

import io.storagecontroller.activities.TaskQueues;
import io.storagecontroller.compute.ComputeNotifications;
import io.storagecontroller.model.LocationConfigMode;
import io.storagecontroller.model.NodeAvailability;
import io.storagecontroller.model.NodeId;
import io.storagecontroller.model.TenantId;
import io.storagecontroller.model.TenantShardId;
import io.storagecontroller.node.NodeService;
import io.storagecontroller.pageserver.LocationConfig;
import io.storagecontroller.pageserver.PageserverClient;
import io.storagecontroller.pageserver.PageserverClients;
import io.storagecontroller.pageserver.PageserverException;
import io.storagecontroller.pageserver.PageserverJson;
import io.storagecontroller.reconcile.ReconcileSweep;
import io.storagecontroller.startup.BootId;
import io.storagecontroller.startup.Readiness;
import io.storagecontroller.tenant.ServiceState;
import io.storagecontroller.tenant.TenantShard;
import io.temporal.failure.ApplicationFailure;
import io.temporal.spring.boot.ActivityImpl;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.stereotype.Component;

/** Start-up's side effects against this process's state and the pageservers. */
@Component
@ActivityImpl(taskQueues = TaskQueues.CONTROLLER)
public class StartupActivitiesImpl implements StartupActivities {
  private static final Logger log = LoggerFactory.getLogger(StartupActivitiesImpl.class);

  /**
   * How long one batch of start-up notifications is waited for: inside the activity's 30 s
   * start-to-close timeout. What is still in flight then goes on in the background.
   */
  static final Duration NOTIFY_BATCH_WAIT = Duration.ofSeconds(25);

  private final BootId boot;
  private final NodeService nodes;
  private final ServiceState state;
  private final PageserverClients clients;
  private final ReconcileSweep sweep;
  private final Readiness readiness;
  private final ComputeNotifications notifications;
  private final Map<Long, List<TenantShardId>> strays = new ConcurrentHashMap<>();
  // Not "available": a heartbeat may find a node up whose scan failed, and it still holds unknowns.
  private final Set<NodeId> scanned = ConcurrentHashMap.newKeySet();

  public StartupActivitiesImpl(
      BootId boot,
      NodeService nodes,
      ServiceState state,
      PageserverClients clients,
      ReconcileSweep sweep,
      Readiness readiness,
      ComputeNotifications notifications) {
    this.boot = boot;
    this.nodes = nodes;
    this.state = state;
    this.clients = clients;
    this.sweep = sweep;
    this.readiness = readiness;
    this.notifications = notifications;
  }

  @Override
  public List<Long> nodesToScan(String bootId) {
    requireThisBoot(bootId);
    return nodes.list().stream().map(n -> n.id().value()).toList();
  }

  @Override
  public NodeScan scanNode(String bootId, long nodeId) {
    requireThisBoot(bootId);
    NodeId node = new NodeId(nodeId);
    Map<TenantShardId, LocationConfig> held;
    try {
      held = clients.client(node).listLocations();
    } catch (PageserverException e) {
      throw ApplicationFailure.newFailure(e.getMessage(), "PageserverUnavailable");
    }
    List<TenantShardId> unknown = new ArrayList<>();
    int known = 0;
    synchronized (state) {
      for (Map.Entry<TenantShardId, LocationConfig> location : held.entrySet()) {
        if (state.shard(location.getKey()).isPresent()) {
          state.observed(location.getKey(), node, location.getValue());
          known++;
        } else {
          unknown.add(location.getKey());
        }
      }
    }
    scanned.add(node);
    nodes.setAvailability(node, NodeAvailability.ACTIVE);
    strays.put(nodeId, unknown);
    log.info("start-up scan of node {}: {} locations, {} strays", node, known, unknown.size());
    return new NodeScan(nodeId, known, unknown.size());
  }

  @Override
  public int reconcileDirty(String bootId) {
    requireThisBoot(bootId);
    markUnscannedUnknown();
    return sweep.sweep();
  }

  /**
   * A node whose scan failed may hold any of the shards placed on it: "unknown", not "nothing", so
   * that a reconcile asks it again once it answers instead of attaching elsewhere beside it.
   */
  private void markUnscannedUnknown() {
    synchronized (state) {
      for (TenantShard shard : state.all()) {
        List<NodeId> placed = new ArrayList<>(shard.intent().allNodes());
        if (shard.generationPageserver() != null) {
          placed.add(shard.generationPageserver());
        }
        for (NodeId node : placed) {
          if (!scanned.contains(node) && !shard.observed().locations().containsKey(node)) {
            state.observedUnknown(shard.id(), node);
          }
        }
      }
    }
  }

  @Override
  public void markReady(String bootId) {
    requireThisBoot(bootId);
    readiness.markReady();
  }

  @Override
  public List<String> tenantsToNotify(String bootId) {
    requireThisBoot(bootId);
    Set<TenantId> tenants = new LinkedHashSet<>();
    state.read(
        () -> {
          for (TenantShard shard : state.all()) {
            if (shard.intent().attached() != null) {
              tenants.add(shard.id().tenantId());
            }
          }
          return null;
        });
    return tenants.stream().map(TenantId::toString).toList();
  }

  @Override
  public void notifyComputes(String bootId, List<String> tenantIds) {
    requireThisBoot(bootId);
    // Never fails: undelivered notifications are left pending and the sweep sends them.
    int settled =
        notifications.notifyBatch(
            tenantIds.stream().map(TenantId::parse).toList(), false, NOTIFY_BATCH_WAIT);
    log.info("start-up compute notifications: {} of {} settled", settled, tenantIds.size());
  }

  @Override
  public int detachStrays(String bootId, long nodeId) {
    requireThisBoot(bootId);
    List<TenantShardId> found = strays.getOrDefault(nodeId, List.of());
    NodeId node = new NodeId(nodeId);
    PageserverClient client = clients.client(node);
    int detached = 0;
    for (TenantShardId id : found) {
      if (state.shard(id).isPresent()) {
        continue; // created since the scan
      }
      client.locationConfig(
          id,
          new LocationConfig(
              LocationConfigMode.DETACHED,
              null,
              null,
              id.shardNumber().value(),
              id.shardCount().literal(),
              0,
              PageserverJson.mapper().createObjectNode()),
          false,
          null);
      detached++;
    }
    strays.remove(nodeId);
    log.info("detached {} stray locations from node {}", detached, node);
    return detached;
  }

  private void requireThisBoot(String bootId) {
    if (!boot.value().equals(bootId)) {
      throw ApplicationFailure.newNonRetryableFailure(
          "start-up workflow of boot " + bootId + " is not this process's (" + boot.value() + ")",
          "StaleBoot");
    }
  }
}
