package io.storagecontroller.reconcile;

import io.storagecontroller.failpoint.FailpointNames;
import io.storagecontroller.failpoint.Failpoints;
import io.storagecontroller.model.NodeId;
import io.storagecontroller.model.TenantShardId;
import io.storagecontroller.pageserver.LocationConfig;
import io.storagecontroller.pageserver.PageserverClients;
import io.storagecontroller.shard.ShardStore;
import java.time.Duration;
import java.util.Map;
import java.util.Optional;
import org.springframework.stereotype.Component;

/**
 * The one way shard locations are written to pageservers, shared by reconciles, live migrations and
 * splits: a location is marked unknown before each call so a failure midway is never mistaken for
 * success, and what the pageserver confirmed is recorded after it. Callers run as the shard's
 * writer ({@link ShardStore#asWriter}).
 */
@Component
public class LocationWriter {
  private final ShardStore store;
  private final PageserverClients clients;
  private final Failpoints failpoints;

  public LocationWriter(ShardStore store, PageserverClients clients, Failpoints failpoints) {
    this.store = store;
    this.clients = clients;
    this.failpoints = failpoints;
  }

  /** Sets the location and records what the pageserver confirmed. */
  public void apply(TenantShardId id, NodeId node, LocationConfig wanted) {
    apply(id, node, wanted, false, null);
  }

  public void apply(
      TenantShardId id, NodeId node, LocationConfig wanted, boolean lazy, Duration flush) {
    store.observedUnknown(id, node);
    failpoints.hit(FailpointNames.LOCATION_CONFIG_PRE_CALL);
    clients.client(node).locationConfig(id, wanted, lazy, flush);
    failpoints.hit(FailpointNames.LOCATION_CONFIG_POST_CALL);
    store.observed(id, node, wanted);
  }

  /**
   * Asks every reachable node whose location is unknown (a call failed, it was offline, the
   * controller restarted) what it holds, so that a new attachment is never made beside an
   * AttachedSingle nobody knew about. Returns whether anything was learnt; a node that does not
   * answer fails the caller, to be retried.
   */
  public boolean refreshUnknown(TenantShardId id, ShardSnapshot snapshot, NodeId except) {
    boolean learnt = false;
    for (Map.Entry<NodeId, Optional<LocationConfig>> held : snapshot.observed().entrySet()) {
      NodeId node = held.getKey();
      if (node.equals(except)
          || held.getValue().isPresent()
          || !snapshot.availableNodes().contains(node)) {
        continue;
      }
      Optional<LocationConfig> actual = clients.client(node).getLocation(id);
      if (actual.isPresent()) {
        store.observed(id, node, actual.get());
      } else {
        store.observedGone(id, node);
      }
      learnt = true;
    }
    return learnt;
  }
}
