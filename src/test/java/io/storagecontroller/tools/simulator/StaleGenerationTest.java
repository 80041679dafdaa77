package io.storagecontroller.tools.simulator;

import static io.storagecontroller.tools.simulator.PageserverApiTest.attached;
import static io.storagecontroller.tools.simulator.PageserverApiTest.secondary;
import static org.assertj.core.api.Assertions.assertThat;

import io.storagecontroller.model.TenantId;
import io.storagecontroller.model.TenantShardId;
import io.storagecontroller.tools.simulator.HttpCalls.Response;
import org.junit.jupiter.api.Test;

/** An attach with a generation older than remote storage has seen is refused, on any node. */
class StaleGenerationTest {
  @Test
  void olderGenerationsAreRefusedWith409() {
    try (PageserverFleet fleet = PageserverFleet.start(2)) {
      TenantShardId id = TenantShardId.unsharded(TenantId.generate());
      String location = "/v1/tenant/" + id + "/location_config";
      HttpCalls one = new HttpCalls(fleet.pageserver(1).baseUrl());
      HttpCalls two = new HttpCalls(fleet.pageserver(2).baseUrl());
      assertThat(one.put(location, attached("AttachedSingle", 5)).status()).isEqualTo(200);

      Response stale = two.put(location, attached("AttachedMulti", 4));
      assertThat(stale.status()).isEqualTo(409);
      assertThat(stale.msg()).contains("stale").contains("5");
      assertThat(fleet.pageserver(2).locations()).isEmpty();

      assertThat(two.put(location, attached("AttachedMulti", 6)).status()).isEqualTo(200);
      // Even the node that held generation 5 cannot go back to it, after a crash or not.
      assertThat(one.put(location, attached("AttachedStale", 5)).status()).isEqualTo(409);
      fleet.pageserver(1).restart();
      assertThat(one.put(location, attached("AttachedSingle", 5)).status()).isEqualTo(409);
      // Secondaries carry no generation and are always accepted.
      assertThat(one.put(location, secondary()).status()).isEqualTo(200);
      assertThat(fleet.safety().violations()).isEmpty();
    }
  }
}
