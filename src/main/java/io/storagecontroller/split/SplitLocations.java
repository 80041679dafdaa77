package io.storagecontroller.split;

import io.storagecontroller.config.ControllerProperties;
import io.storagecontroller.model.LocationConfigMode;
import io.storagecontroller.model.NodeId;
import io.storagecontroller.model.ShardCount;
import io.storagecontroller.model.ShardStripeSize;
import io.storagecontroller.model.TenantShardId;
import io.storagecontroller.node.NodeService;
import io.storagecontroller.pageserver.LocationConfig;
import io.storagecontroller.pageserver.PageserverClients;
import io.storagecontroller.pageserver.PageserverJson;
import io.storagecontroller.pageserver.TenantShardSplitRequest;
import io.storagecontroller.shard.ShardStore;
import java.time.Duration;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.stereotype.Component;

/** The pageserver calls of a split: the split itself, and removing what it leaves behind. */
@Component
public class SplitLocations {
  private static final Logger log = LoggerFactory.getLogger(SplitLocations.class);

  private final PageserverClients clients;
  private final NodeService nodes;
  private final ShardStore store;
  private final Duration splitTimeout;

  public SplitLocations(
      PageserverClients clients,
      NodeService nodes,
      ShardStore store,
      ControllerProperties properties) {
    this.clients = clients;
    this.nodes = nodes;
    this.store = store;
    // Neon's default is unbounded; the client's own (10 min) bounds it here.
    this.splitTimeout = properties.shardSplitRequestTimeout();
  }

  /**
   * Asks the parent's pageserver to split it, as the parent's only writer, once (Neon does not
   * retry a split); returns the children it reports.
   *
   * @param newStripe the children's stripe size, sent only when it changes
   */
  public List<TenantShardId> split(
      TenantShardId parent, NodeId node, ShardCount newCount, ShardStripeSize newStripe) {
    TenantShardSplitRequest request =
        new TenantShardSplitRequest(
            newCount.literal(), newStripe == null ? null : newStripe.value());
    return store.asWriter(
        parent,
        () -> {
          log.info("{}: splitting into {} shards on node {}", parent, newCount.count(), node);
          return clients.client(node).shardSplit(parent, request, splitTimeout).newShards();
        });
  }

  /**
   * Detaches the shards from the node. An unavailable or removed node is skipped (false): a
   * restarting pageserver drops what its re-attach does not list, and start-up detaches strays.
   *
   * @throws io.storagecontroller.pageserver.PageserverException when a reachable pageserver fails
   */
  public boolean detach(NodeId node, List<TenantShardId> shards) {
    if (!nodes.availableNodes().contains(node)) {
      log.warn("node {} is unavailable: {} left for it to drop when it returns", node, shards);
      return false;
    }
    for (TenantShardId shard : shards) {
      store.asWriter(
          shard,
          () -> {
            clients.client(node).locationConfig(shard, detached(shard), false, null);
            return null;
          });
    }
    return true;
  }

  private static LocationConfig detached(TenantShardId shard) {
    return new LocationConfig(
        LocationConfigMode.DETACHED,
        null,
        null,
        shard.shardNumber().value(),
        shard.shardCount().literal(),
        0,
        PageserverJson.mapper().createObjectNode());
  }
}
