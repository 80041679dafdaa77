package io.storagecontroller.split;

import io.storagecontroller.config.ControllerProperties;
import io.storagecontroller.model.NodeAvailability;
import io.storagecontroller.model.NodeId;
import io.storagecontroller.model.ShardCount;
import io.storagecontroller.model.ShardStripeSize;
import io.storagecontroller.model.TenantShardId;
import io.storagecontroller.node.NodeService;
import io.storagecontroller.pageserver.LocationConfig;
import io.storagecontroller.pageserver.PageserverClients;
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
          // Begin marked this unknown, but a re-attach since (the node restarted) may have
          // recorded the parent as held again: whatever the call does, the node's copy of the
          // parent is not to be trusted after it, and after a split it is gone.
          store.observedUnknown(parent, node);
          List<TenantShardId> made =
              clients.client(node).shardSplit(parent, request, splitTimeout).newShards();
          store.observedGone(parent, node);
          return made;
        });
  }

  /**
   * Detaches the shards from the node. An offline or removed node is skipped (false): a restarting
   * pageserver drops what its re-attach does not list, and one that comes back without restarting
   * is scanned and its strays detached ({@code NodeActivation}). A node warming up after its
   * re-attach answers, and may hold locations made since: it is asked.
   *
   * @throws io.storagecontroller.pageserver.PageserverException when a reachable pageserver fails
   */
  public boolean detach(NodeId node, List<TenantShardId> shards) {
    if (nodes.find(node).map(n -> n.availability() == NodeAvailability.OFFLINE).orElse(true)) {
      log.warn("node {} is offline: {} left for it to drop when it returns", node, shards);
      return false;
    }
    for (TenantShardId shard : shards) {
      store.asWriter(
          shard,
          () -> {
            clients.client(node).locationConfig(shard, LocationConfig.detached(shard), false, null);
            return null;
          });
    }
    return true;
  }
}
