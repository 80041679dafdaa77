package io.storagecontroller.debug;

import static org.assertj.core.api.Assertions.assertThat;

import io.storagecontroller.model.TenantId;
import io.storagecontroller.testing.ApiClient.Response;
import io.storagecontroller.tools.simulator.SimulatedPageserver;

/** Debug route tests against two simulated pageservers, started and registered per test. */
abstract class FleetTestSupport extends DebugRoutesTestSupport {
  @Override
  protected int pageserverCount() {
    return 2;
  }

  @Override
  protected String zone() {
    return "az-debug";
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
