package io.storagecontroller.orchestration;

import io.storagecontroller.model.NodeId;
import io.storagecontroller.model.TenantShardId;
import io.storagecontroller.pageserver.LocationConfig;
import io.storagecontroller.pageserver.PageserverClients;
import io.storagecontroller.scheduler.SchedulerNodeState;
import io.storagecontroller.shard.ShardStore;
import java.util.List;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.stereotype.Component;

/**
 * Neon's {@code node_activate_reconcile}: a node that becomes active again (back from Offline, or
 * done warming up after its re-attach) may hold anything, so it is asked. What it lists becomes the
 * observed state of its shards, what it no longer holds is forgotten, and locations of shards the
 * controller does not know (a split rolled back while the node was away, a tenant deleted) are
 * detached. The reconcile sweep that follows puts back whatever the intent wants there. A node that
 * lists only shards the controller does not know, while some of the controller's are placed on it,
 * is not trusted to be the node it was: nothing is detached from it.
 */
@Component
public class NodeActivation {
  private static final Logger log = LoggerFactory.getLogger(NodeActivation.class);

  private final ShardStore store;
  private final PageserverClients clients;

  public NodeActivation(ShardStore store, PageserverClients clients) {
    this.store = store;
    this.clients = clients;
  }

  /** Scans the node; returns how many stray locations it detached. */
  public int activate(NodeId node) {
    long mark = store.observationMark();
    Map<TenantShardId, LocationConfig> held = clients.client(node).listLocations();
    List<TenantShardId> unknown = store.observeWholeNode(node, held, mark);
    long placedHere = store.scheduler().node(node).map(SchedulerNodeState::shardCount).orElse(0L);
    if (!unknown.isEmpty() && unknown.size() == held.size() && placedHere > 0) {
      // Not one shard it lists is ours, yet ours are placed there: more likely another pageserver
      // now answers at this node's address (a reused port, a replaced host) than that every one
      // of ours went. Its locations are not ours to remove.
      log.error(
          "node {} lists {} locations, none of a shard this controller knows, though {} of its"
              + " shards are placed there: is another pageserver at its address? Nothing detached",
          node,
          held.size(),
          placedHere);
      return 0;
    }
    int detached = 0;
    for (TenantShardId id : unknown) {
      if (store.claims(id)) {
        continue;
      }
      store.asWriter(
          id,
          () -> {
            clients.client(node).locationConfig(id, LocationConfig.detached(id), false, null);
            return null;
          });
      detached++;
    }
    log.info(
        "node {} active again: scanned {} locations, detached {} strays",
        node,
        held.size(),
        detached);
    return detached;
  }
}
