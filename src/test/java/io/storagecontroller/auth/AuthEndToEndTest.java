package io.storagecontroller.auth;

import static org.assertj.core.api.Assertions.assertThat;

import io.storagecontroller.model.LocationConfigMode;
import io.storagecontroller.model.NodeId;
import io.storagecontroller.model.TenantId;
import io.storagecontroller.model.TenantShardId;
import io.storagecontroller.pageserver.LocationConfig;
import io.storagecontroller.testing.ApiClient.Response;
import io.storagecontroller.testing.ControllerProcess;
import io.storagecontroller.testing.Ids;
import io.storagecontroller.tools.simulator.PageserverFleet;
import io.storagecontroller.tools.simulator.RecordedRequest;
import io.storagecontroller.tools.simulator.SimulatedPageserver;
import io.storagecontroller.tools.simulator.SimulatorOptions;
import java.net.URI;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;

/**
 * Auth on, end to end: simulated pageservers re-attach with a {@code generations_api} token and
 * demand the controller's {@code --jwt-token}; the control plane creates a tenant with a {@code
 * pageserverapi} token, it gets attached, and the compute hook carries {@code
 * --control-plane-jwt-token}.
 */
class AuthEndToEndTest extends AuthTestSupport {

  @Test
  void tenantIsAttachedWhenUpcallsAndPageserverCallsCarryTheirTokens() {
    PageserverFleet fleet = startFleet(2);
    try {
      TenantId tenant = TenantId.generate();
      String body =
          "{\"new_tenant_id\":\"%s\",\"shard_parameters\":{\"count\":2,\"stripe_size\":2048},"
                  .formatted(tenant)
              + "\"placement_policy\":{\"Attached\":1}}";
      Response created = call("Bearer " + token(Scope.PAGESERVER_API), "POST", "/v1/tenant", body);
      assertThat(created.status()).as(created.body()).isEqualTo(201);
      assertThat(created.json().get("shards")).hasSize(2);

      // The scrubber scope may describe it; the control plane's pageserverapi scope may not.
      Response described =
          call("Bearer " + token(Scope.SCRUBBER), "GET", "/control/v1/tenant/" + tenant, null);
      assertThat(described.status()).as(described.body()).isEqualTo(200);
      assertThat(
              call(
                      "Bearer " + token(Scope.PAGESERVER_API),
                      "GET",
                      "/control/v1/tenant/" + tenant,
                      null)
                  .status())
          .isEqualTo(403);

      for (JsonNode shard : described.json().get("shards")) {
        TenantShardId id = TenantShardId.parse(shard.get("tenant_shard_id").asString());
        NodeId attached = new NodeId(shard.get("node_attached").asLong());
        LocationConfig held = fleet.pageserver(attached).location(id).orElse(null);
        assertThat(held).as("%s on %s", id, attached).isNotNull();
        assertThat(held.mode()).isEqualTo(LocationConfigMode.ATTACHED_SINGLE);
      }

      // Every call the controller made to a pageserver carried its --jwt-token.
      List<RecordedRequest> calls = new ArrayList<>();
      fleet.pageservers().forEach(ps -> calls.addAll(ps.requests()));
      assertThat(calls).isNotEmpty();
      assertThat(calls)
          .allSatisfy(
              r ->
                  assertThat(r.authorization())
                      .as("%s %s", r.method(), r.uri())
                      .isEqualTo("Bearer " + PAGESERVER_TOKEN));
      assertThat(fleet.safety().violations()).isEmpty();

      // The compute hook told the control plane, with --control-plane-jwt-token.
      ControllerProcess.await(
          DEADLINE, () -> !CONTROL_PLANE_AUTHORIZATIONS.isEmpty(), "a compute notification");
      assertThat(CONTROL_PLANE_AUTHORIZATIONS).allMatch(("Bearer " + CONTROL_PLANE_TOKEN)::equals);
    } finally {
      retire(fleet);
    }
  }

  @Test
  void pageserverWhoseUpcallTokenLacksGenerationsApiIsNotRegistered() {
    long nodeId = Ids.nodeId() * 10;
    try (PageserverFleet fleet =
        PageserverFleet.start(
            SimulatorOptions.defaults()
                .withPageservers(1)
                .withFirstNodeId(nodeId)
                .withController(URI.create(baseUrl()))
                .withUpcallToken(token(Scope.PAGESERVER_API))
                .withRequiredToken(PAGESERVER_TOKEN)
                .withUpcallDeadline(Duration.ofMillis(500)))) {
      SimulatedPageserver ps = fleet.pageservers().get(0);
      assertThat(admin("GET", "/control/v1/node/" + ps.nodeId(), null).status()).isEqualTo(404);
    }
  }
}
