package io.storagecontroller.startup;

import static org.assertj.core.api.Assertions.assertThat;
import static org.mockito.Mockito.mock;
import static org.mockito.Mockito.times;
import static org.mockito.Mockito.verify;
import static org.mockito.Mockito.when;

import io.prometheus.metrics.model.registry.PrometheusRegistry;
import io.storagecontroller.compute.ComputeNotifications;
import io.storagecontroller.model.NodeAvailability;
import io.storagecontroller.model.NodeId;
import io.storagecontroller.node.NodeService;
import io.storagecontroller.pageserver.PageserverClient;
import io.storagecontroller.pageserver.PageserverClients;
import io.storagecontroller.pageserver.PageserverRequestMetrics;
import io.storagecontroller.reconcile.ReconcileSweep;
import io.storagecontroller.shard.ShardStore;
import io.storagecontroller.tools.simulator.PageserverFleet;
import io.storagecontroller.tools.simulator.SimulatedPageserver;
import io.storagecontroller.tools.simulator.SimulatorOptions;
import java.net.http.HttpClient;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** A restart's scans take the nodes' listings asked for while the shards loaded. */
class StartupScanTest {
  private static final NodeId NODE = NodeId.of(1);

  private final BootId boot = new BootId();
  private final NodeService nodes = mock(NodeService.class);
  private final PageserverClients clients = mock(PageserverClients.class);
  private PageserverFleet fleet;
  private SimulatedPageserver pageserver;
  private PageserverClient client;
  private final StartupScan scan =
      new StartupScan(
          boot,
          nodes,
          mock(ShardStore.class),
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
            null,
            HttpClient.newHttpClient(),
            PageserverRequestMetrics.register(new PrometheusRegistry()));
  }

  @AfterEach
  void stop() {
    fleet.close();
  }

  private long listings() {
    return pageserver.requests().stream()
        .filter(r -> (r.method() + " " + r.uri()).equals("GET /v1/location_config"))
        .count();
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
}
