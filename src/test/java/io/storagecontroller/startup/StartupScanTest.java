package io.storagecontroller.startup;

import static org.assertj.core.api.Assertions.assertThat;
import static org.mockito.ArgumentMatchers.any;
import static org.mockito.ArgumentMatchers.anyLong;
import static org.mockito.ArgumentMatchers.eq;
import static org.mockito.Mockito.mock;
import static org.mockito.Mockito.times;
import static org.mockito.Mockito.verify;
import static org.mockito.Mockito.when;

import io.prometheus.metrics.model.registry.PrometheusRegistry;
import io.storagecontroller.compute.ComputeNotifications;
import io.storagecontroller.leadership.ObservedSnapshot;
import io.storagecontroller.model.NodeAvailability;
import io.storagecontroller.model.NodeId;
import io.storagecontroller.model.TenantId;
import io.storagecontroller.model.TenantShardId;
import io.storagecontroller.node.Node;
import io.storagecontroller.node.NodeAddress;
import io.storagecontroller.node.NodeService;
import io.storagecontroller.pageserver.LocationConfig;
import io.storagecontroller.pageserver.PageserverClient;
import io.storagecontroller.pageserver.PageserverClients;
import io.storagecontroller.pageserver.PageserverHttp;
import io.storagecontroller.pageserver.PageserverRequestMetrics;
import io.storagecontroller.reconcile.ReconcileSweep;
import io.storagecontroller.shard.ShardStore;
import io.storagecontroller.shard.SnapshotApplied;
import io.storagecontroller.tools.simulator.PageserverFleet;
import io.storagecontroller.tools.simulator.SimulatedPageserver;
import io.storagecontroller.tools.simulator.SimulatorOptions;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * A restart's scans take the nodes' listings asked for while the shards loaded; a new leader's take
 * the previous leader's snapshot instead.
 */
class StartupScanTest {
  private static final NodeId NODE = NodeId.of(1);

  /**
   * Marks this test's calls: other test classes' controllers in this JVM may still heartbeat a
   * closed fleet's port, which a new fleet can get.
   */
  private static final String TOKEN = "start-up-scan-test";

  private final BootId boot = new BootId();
  private final NodeService nodes = mock(NodeService.class);
  private final PageserverClients clients = mock(PageserverClients.class);
  private final ShardStore store = mock(ShardStore.class);
  private PageserverFleet fleet;
  private SimulatedPageserver pageserver;
  private PageserverClient client;
  private final StartupScan scan =
      new StartupScan(
          boot,
          nodes,
          store,
          clients,
          mock(ReconcileSweep.class),
          mock(Readiness.class),
          mock(ComputeNotifications.class));

  @BeforeEach
  void pageserver() {
    fleet = PageserverFleet.start(SimulatorOptions.defaults().withPageservers(1));
    pageserver = fleet.pageservers().get(0);
    client =
        new PageserverClient(
            NODE,
            pageserver.baseUrl().toString(),
            TOKEN,
            PageserverHttp.withDefaultTls(),
            PageserverRequestMetrics.register(new PrometheusRegistry()));
  }

  @AfterEach
  void stop() {
    fleet.close();
  }

  private List<String> calls() {
    return pageserver.requests().stream()
        .filter(r -> ("Bearer " + TOKEN).equals(r.authorization()))
        .map(r -> r.method() + " " + r.uri())
        .toList();
  }

  private long listings() {
    return calls().stream().filter("GET /v1/location_config"::equals).count();
  }

  @Test
  void aNodesScanTakesTheListingAskedForAhead() {
    when(clients.client(NODE)).thenReturn(client);
    scan.listAhead(List.of(NODE));

    assertThat(scan.scanNode(boot.value(), NODE)).isZero();

    assertThat(listings()).isEqualTo(1);
    verify(nodes).setAvailability(NODE, NodeAvailability.ACTIVE);
  }

  @Test
  void aListingThatFailedAheadIsAskedForAgainByTheScan() {
    when(clients.client(NODE))
        .thenThrow(new IllegalStateException("node not registered yet"))
        .thenReturn(client);
    scan.listAhead(List.of(NODE));

    assertThat(scan.scanNode(boot.value(), NODE)).isZero();

    assertThat(listings()).isEqualTo(1);
    verify(clients, times(2)).client(NODE);
  }

  @Test
  void aNodeThatReAttachedSinceItsListingIsListedAgain() {
    when(clients.client(NODE)).thenReturn(client);
    when(store.reAttachedSince(eq(NODE), anyLong())).thenReturn(true);
    scan.listAhead(List.of(NODE));

    assertThat(scan.scanNode(boot.value(), NODE)).isZero();

    assertThat(listings()).isEqualTo(2);
  }

  /**
   * A node the previous leader's snapshot covers is not listed again; it is only checked to be up,
   * with one utilization call, none when a heartbeat of this process already found it Active.
   */
  @Test
  void aNodeFromTheSnapshotIsOnlyCheckedToBeUpUnlessAlreadyFoundActive() {
    when(clients.client(NODE)).thenReturn(client);
    TenantShardId shard = TenantShardId.unsharded(TenantId.generate());
    when(store.observeSnapshot(any())).thenReturn(new SnapshotApplied(Map.of(NODE, 1), Map.of()));
    scan.useSnapshot(
        CompletableFuture.completedFuture(
            Optional.of(
                ObservedSnapshot.of(
                    Map.of(shard, Map.of(NODE, Optional.of(LocationConfig.detached(shard))))))));
    Node registered =
        Node.registered(
            NODE, new NodeAddress("127.0.0.1", 1, null, "127.0.0.1", 2, null, null, "az-a"));

    when(nodes.find(NODE))
        .thenReturn(Optional.of(registered.withAvailability(NodeAvailability.ACTIVE)));
    scan.applySnapshotInBackground();
    assertThat(scan.scanNode(boot.value(), NODE)).isEqualTo(1);
    assertThat(calls()).isEmpty();

    when(nodes.find(NODE))
        .thenReturn(Optional.of(registered.withAvailability(NodeAvailability.OFFLINE)));
    assertThat(scan.scanNode(boot.value(), NODE)).isEqualTo(1);
    assertThat(calls()).containsExactly("GET /v1/utilization");
  }
}
