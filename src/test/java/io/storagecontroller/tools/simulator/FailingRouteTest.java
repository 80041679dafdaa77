package io.storagecontroller.tools.simulator;

import static org.assertj.core.api.Assertions.assertThat;

import io.storagecontroller.model.TenantId;
import io.storagecontroller.model.TenantShardId;
import io.storagecontroller.tools.simulator.HttpCalls.Response;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** One failing endpoint on an otherwise healthy pageserver, through the handle and control API. */
class FailingRouteTest {
  PageserverFleet fleet;
  SimulatedPageserver pageserver;

  @BeforeEach
  void start() {
    fleet = PageserverFleet.start(1);
    pageserver = fleet.pageserver(1);
  }

  @AfterEach
  void stop() {
    fleet.close();
  }

  @Test
  void onlyTheNamedRouteFails() {
    HttpCalls calls = new HttpCalls(pageserver.baseUrl());
    TenantShardId id = TenantShardId.unsharded(TenantId.generate());
    assertThat(
            calls
                .put(
                    "/v1/tenant/" + id + "/location_config",
                    PageserverApiTest.attached("AttachedSingle", 1))
                .status())
        .isEqualTo(200);
    pageserver.fault(Fault.failingRoute("/shard_split", 500));

    Response split = calls.put("/v1/tenant/" + id + "/shard_split", "{\"new_shard_count\":2}");
    assertThat(split.status()).isEqualTo(500);
    assertThat(split.body().get("msg").asString()).isEqualTo("simulated failure");
    assertThat(calls.get("/v1/status").status()).isEqualTo(200);
    assertThat(pageserver.location(id)).isPresent();

    pageserver.clearFaults();
    assertThat(calls.put("/v1/tenant/" + id + "/shard_split", "{\"new_shard_count\":2}").status())
        .isEqualTo(200);
  }

  @Test
  void theControlApiSetsAndShowsIt() {
    HttpCalls control = new HttpCalls(fleet.controlUrl());
    Response set =
        control.put(
            "/simulator/v1/pageservers/1/fault",
            "{\"kind\":\"failing_route\",\"path_suffix\":\"/shard_split\",\"status\":503}");
    assertThat(set.status()).isEqualTo(200);
    assertThat(set.body().get("faults").get(0).get("kind").asString()).isEqualTo("failing_route");
    assertThat(pageserver.faults()).containsExactly(Fault.failingRoute("/shard_split", 503));
    assertThat(
            control
                .put(
                    "/simulator/v1/pageservers/1/fault",
                    "{\"kind\":\"failing_route\",\"path_suffix\":\"/x\",\"status\":200}")
                .status())
        .isEqualTo(400);
  }
}
