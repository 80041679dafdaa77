package io.storagecontroller.tools.simulator;

import static org.assertj.core.api.Assertions.assertThat;

import io.storagecontroller.model.TenantId;
import io.storagecontroller.model.TenantShardId;
import io.storagecontroller.testing.FleetTest;
import org.junit.jupiter.api.Test;

/**
 * {@code simulate --advertised-host} (the compose stack's pageservers in their own container): the
 * pageservers listen on every interface and register the advertised name, and the controller
 * reaches them by it.
 */
class AdvertisedHostTest extends FleetTest {

  @Override
  protected SimulatorOptions fleetOptions(SimulatorOptions options) {
    return options.withAdvertisedHost("localhost");
  }

  @Test
  void pageserversRegisterTheAdvertisedHostAndAreReachedByIt() {
    for (SimulatedPageserver ps : fleet.pageservers()) {
      assertThat(
              api.get("/control/v1/node/" + ps.nodeId()).json().get("listen_http_addr").asString())
          .isEqualTo("localhost");
      assertThat(ps.baseUrl().getHost()).isEqualTo("localhost");
    }
    TenantId tenant = TenantId.generate();
    assertThat(create(tenant, 0, 0).status()).isEqualTo(201);
    TenantShardId shard = TenantShardId.unsharded(tenant);
    long attached =
        api.get("/control/v1/tenant/" + tenant)
            .json()
            .get("shards")
            .get(0)
            .get("node_attached")
            .asLong();
    assertThat(fleet.pageserver(attached).location(shard)).isPresent();
  }
}
