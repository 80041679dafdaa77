package io.storagecontroller.debug;

import static org.assertj.core.api.Assertions.assertThat;

import io.storagecontroller.model.TenantId;
import io.storagecontroller.simulator.PageserverFleet;
import io.storagecontroller.simulator.SimulatedPageserver;
import io.storagecontroller.simulator.SimulatorOptions;
import io.storagecontroller.testing.ApiClient.Response;
import io.storagecontroller.testing.ControllerProcess;
import io.storagecontroller.testing.FleetTest;
import io.storagecontroller.testing.Ids;
import java.net.URI;
import java.time.Duration;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;

/** Debug route tests against two simulated pageservers, started and registered per test. */
abstract class FleetTestSupport extends DebugRoutesTestSupport {
  static final Duration DEADLINE = Duration.ofSeconds(60);

  PageserverFleet fleet;

  @BeforeEach
  void startFleet() {
    fleet =
        PageserverFleet.start(
            SimulatorOptions.defaults()
                .withPageservers(2)
                .withFirstNodeId(Ids.nodeId() * 10)
                .withAvailabilityZone(node -> "az-debug")
                .withController(URI.create(baseUrl())));
    for (SimulatedPageserver ps : fleet.pageservers()) {
      ControllerProcess.await(
          DEADLINE,
          () ->
              "Active"
                  .equals(
                      api.get("/control/v1/node/" + ps.nodeId())
                          .json()
                          .path("availability")
                          .asString()),
          "node " + ps.nodeId() + " active");
    }
  }

  @AfterEach
  void stopFleet() {
    if (fleet != null) {
      assertThat(fleet.safety().violations()).isEmpty();
      // The database outlives this test: keep later tests from placing shards on these nodes
      // (a dropped node answers 404 here, which is fine).
      FleetTest.dropTenantsOn(
          api, fleet.pageservers().stream().map(p -> p.nodeId().value()).toList());
      for (SimulatedPageserver ps : fleet.pageservers()) {
        api.put(
            "/control/v1/node/" + ps.nodeId() + "/config",
            "{\"node_id\":%d,\"scheduling\":\"Pause\"}".formatted(ps.nodeId().value()));
      }
      fleet.close();
    }
  }

  /** Creates a tenant whose every shard has one secondary, so it uses both pageservers. */
  void createWithSecondary(TenantId tenant, int shards) {
    String body =
        ("{\"new_tenant_id\":\"%s\",\"shard_parameters\":{\"count\":%d,\"stripe_size\":2048},"
                + "\"placement_policy\":{\"Attached\":1}}")
            .formatted(tenant, shards);
    Response r = api.post("/v1/tenant", body);
    assertThat(r.status()).as(r.body()).isEqualTo(201);
  }

  long locationConfigCalls(SimulatedPageserver ps) {
    return ps.requests().stream()
        .filter(r -> r.method().equals("PUT") && r.uri().contains("/location_config"))
        .count();
  }
}
