package io.storagecontroller.orchestration;

import static org.assertj.core.api.Assertions.assertThat;

import io.storagecontroller.model.TenantId;
import io.storagecontroller.model.TenantShardId;
import io.storagecontroller.testing.ApiClient;
import io.storagecontroller.testing.FleetTest;
import io.storagecontroller.tools.simulator.SimulatedPageserver;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;

/**
 * A node that becomes active is scanned and its strays detached, unless what answers at its address
 * lists not one of the controller's shards while some are placed there: then it may be another
 * pageserver, and nothing of it is removed.
 */
class NodeActivationTest extends FleetTest {
  @Autowired NodeActivation activation;

  @Override
  protected int pageserverCount() {
    return 1;
  }

  @Test
  void strayLocationsBesideTheControllersShardsAreDetached() {
    TenantId tenant = TenantId.generate();
    assertThat(create(tenant, 0, 0).status()).isEqualTo(201);
    SimulatedPageserver node = fleet.pageservers().get(0);
    TenantShardId stray = TenantShardId.unsharded(TenantId.generate());
    putLocation(node, stray, "AttachedSingle");

    assertThat(activation.activate(node.nodeId())).isEqualTo(1);

    assertThat(node.location(stray)).isEmpty();
    assertThat(node.location(TenantShardId.unsharded(tenant))).isPresent();
    api.delete("/v1/tenant/" + tenant);
  }

  @Test
  void aNodeListingNoneOfTheControllersShardsWhereSomeArePlacedIsNotTouched() {
    TenantId tenant = TenantId.generate();
    assertThat(create(tenant, 0, 0).status()).isEqualTo(201);
    SimulatedPageserver node = fleet.pageservers().get(0);
    TenantShardId ours = TenantShardId.unsharded(tenant);
    // What answers at the node's address now holds none of ours, only its own tenant.
    putLocation(node, ours, "Detached");
    TenantShardId theirs = TenantShardId.unsharded(TenantId.generate());
    putLocation(node, theirs, "AttachedSingle");

    assertThat(activation.activate(node.nodeId())).isZero();

    assertThat(node.location(theirs)).isPresent();
    api.delete("/v1/tenant/" + tenant);
  }

  private static void putLocation(SimulatedPageserver node, TenantShardId id, String mode) {
    String generation = mode.equals("Detached") ? "null" : "1";
    ApiClient.Response r =
        new ApiClient(node.baseUrl().toString())
            .put(
                "/v1/tenant/" + id + "/location_config",
                ("{\"mode\":\"%s\",\"generation\":%s,\"secondary_conf\":null,\"shard_number\":0,"
                        + "\"shard_count\":0,\"shard_stripe_size\":2048,\"tenant_conf\":{}}")
                    .formatted(mode, generation));
    assertThat(r.status()).as(r.body()).isEqualTo(200);
  }
}
