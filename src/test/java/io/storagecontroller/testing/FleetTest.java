package io.storagecontroller.testing;

import static org.assertj.core.api.Assertions.assertThat;

import io.storagecontroller.model.LocationConfigMode;
import io.storagecontroller.model.NodeId;
import io.storagecontroller.model.TenantId;
import io.storagecontroller.model.TenantShardId;
import io.storagecontroller.pageserver.LocationConfig;
import io.storagecontroller.testing.ApiClient.Response;
import io.storagecontroller.tools.simulator.PageserverFleet;
import io.storagecontroller.tools.simulator.SimulatedPageserver;
import io.storagecontroller.tools.simulator.SimulatorOptions;
import java.net.URI;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.jdbc.core.simple.JdbcClient;
import tools.jackson.databind.JsonNode;

/**
 * Base of end-to-end tests: the real service (embedded Postgres, in-process Temporal) and three
 * simulated pageservers over HTTP on loopback, driven as the control plane and pageservers drive
 * it.
 */
public abstract class FleetTest extends ControllerTest {
  protected static final Duration DEADLINE = Duration.ofSeconds(60);

  @Autowired protected JdbcClient jdbc;
  protected PageserverFleet fleet;

  @BeforeEach
  protected void startFleet() {
    if (pageserverCount() == 0) {
      return;
    }
    // One zone: placement then spreads a tenant's shards by affinity (across zones the preferred
    // zone wins first, as in Neon).
    fleet =
        PageserverFleet.start(
            fleetOptions(
                SimulatorOptions.defaults()
                    .withPageservers(pageserverCount())
                    .withFirstNodeId(Ids.nodeId() * 10)
                    .withAvailabilityZone(node -> zone())
                    .withController(URI.create(baseUrl()))));
    dropNodesRegisteredAtOurPorts();
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

  /**
   * A node an earlier test registered and left behind (tests that are not fleet tests do not drop
   * theirs) is heartbeated at its port for the rest of the run: when one of this fleet's
   * pageservers got that port, the controller would take it for that node, scan it and detach its
   * locations as strays. Ports are reused by the kernel, so forget such nodes before placing
   * anything here.
   */
  private void dropNodesRegisteredAtOurPorts() {
    Map<Integer, Long> ours = new HashMap<>();
    for (SimulatedPageserver ps : fleet.pageservers()) {
      ours.put(ps.port(), ps.nodeId().value());
    }
    for (JsonNode node : api.get("/control/v1/node").json()) {
      long id = node.get("id").asLong();
      Long owner = ours.get(node.get("listen_http_port").asInt());
      if (owner != null && owner != id) {
        dropTenantsOn(api, List.of(id));
        assertThat(api.post("/debug/v1/node/" + id + "/drop", "").status()).isIn(200, 404);
      }
    }
  }

  /**
   * Waits until every pageserver of the fleet has been listed by the controller once: the scan a
   * node gets when it becomes Active ({@code NodeActivation}) runs after the node shows Active, and
   * detaches what it lists of shards the controller does not know. A test that leaves a location
   * the controller forgot (an unclean drop) waits for it first, or that scan may detach it.
   */
  protected void awaitActivationScans() {
    for (SimulatedPageserver ps : fleet.pageservers()) {
      ControllerProcess.await(
          DEADLINE,
          () ->
              ps.requests().stream()
                  .anyMatch(
                      r -> r.method().equals("GET") && r.uri().startsWith("/v1/location_config")),
          "node " + ps.nodeId() + " scanned on activation");
    }
  }

  /** Adjusts the simulated fleet, e.g. how slowly secondaries download. */
  protected SimulatorOptions fleetOptions(SimulatorOptions options) {
    return options;
  }

  /** The one availability zone of the fleet's pageservers. */
  protected String zone() {
    return "az-e2e";
  }

  /** How many simulated pageservers each test gets; 0 starts none. */
  protected int pageserverCount() {
    return 3;
  }

  @AfterEach
  protected void stopFleet() {
    if (fleet != null) {
      assertThat(fleet.safety().violations()).isEmpty();
      // The database outlives this test: forget the tenants placed on these nodes (no pageserver
      // calls), so that evacuating them when the nodes go offline cannot move them onto a later
      // test's pageservers, then forget the nodes. A node left registered is heartbeated at its
      // port for the rest of the run, and a later test's pageserver (in this process or another)
      // that gets the port would be taken for it: scanned, and its locations detached as strays.
      dropTenantsOn(api, fleet.pageservers().stream().map(p -> p.nodeId().value()).toList());
      for (SimulatedPageserver ps : fleet.pageservers()) {
        assertThat(api.post("/debug/v1/node/" + ps.nodeId() + "/drop", "").status()).isIn(200, 404);
      }
      fleet.close();
    }
  }

  protected Response create(TenantId tenant, int shards, int secondaries) {
    String body =
        "{\"new_tenant_id\":\"%s\",\"shard_parameters\":{\"count\":%d,\"stripe_size\":2048},"
                .formatted(tenant, shards)
            + "\"placement_policy\":{\"Attached\":%d},\"gc_period\":\"1h\"}".formatted(secondaries);
    return api.post("/v1/tenant", body);
  }

  protected Long storedGeneration(TenantShardId shard) {
    return jdbc.sql(
            "SELECT generation FROM tenant_shards WHERE tenant_id = ? AND shard_number = ? AND shard_count = ?")
        .params(
            shard.tenantId().toString(), shard.shardNumber().value(), shard.shardCount().literal())
        .query(Long.class)
        .optional()
        .orElse(null);
  }

  /** Every shard attached exactly where the intent says, with the database's generation. */
  protected void assertPlacedAsIntended(TenantId tenant, int secondariesPerShard) {
    JsonNode described = api.get("/control/v1/tenant/" + tenant).json();
    for (JsonNode shard : described.get("shards")) {
      TenantShardId id = TenantShardId.parse(shard.get("tenant_shard_id").asString());
      NodeId attached = new NodeId(shard.get("node_attached").asLong());
      List<NodeId> secondaries = new ArrayList<>();
      shard.get("node_secondary").forEach(n -> secondaries.add(new NodeId(n.asLong())));
      assertThat(secondaries).hasSize(secondariesPerShard).doesNotContain(attached);
      long generation = storedGeneration(id);
      for (SimulatedPageserver ps : fleet.pageservers()) {
        LocationConfig held = ps.location(id).orElse(null);
        if (ps.nodeId().equals(attached)) {
          assertThat(held).as("%s on %s", id, ps.nodeId()).isNotNull();
          assertThat(held.mode()).isEqualTo(LocationConfigMode.ATTACHED_SINGLE);
          assertThat(held.generation()).isEqualTo(generation);
        } else if (secondaries.contains(ps.nodeId())) {
          assertThat(held.mode())
              .as("%s on %s", id, ps.nodeId())
              .isEqualTo(LocationConfigMode.SECONDARY);
        } else {
          assertThat(held).as("%s must not be on %s", id, ps.nodeId()).isNull();
        }
      }
    }
  }

  /** Attached shards per pageserver of this test's fleet, as the tenant list describes them. */
  protected Map<Long, Long> attachedPerNode() {
    Map<Long, Long> counts = new HashMap<>();
    for (SimulatedPageserver ps : fleet.pageservers()) {
      counts.put(ps.nodeId().value(), 0L);
    }
    for (JsonNode tenant : api.get("/control/v1/tenant").json()) {
      for (JsonNode shard : tenant.get("shards")) {
        long node = shard.path("node_attached").asLong(-1);
        if (counts.containsKey(node)) {
          counts.merge(node, 1L, Long::sum);
        }
      }
    }
    return counts;
  }

  /**
   * Waits for reconciles to settle (the check refuses while they run), then requires consistency.
   */
  protected void assertConsistent() {
    Response[] last = new Response[1];
    ControllerProcess.await(
        DEADLINE,
        () -> {
          last[0] = api.post("/debug/v1/consistency_check", "");
          return last[0].status() != 409;
        },
        "an idle system");
    assertThat(last[0].status()).as(last[0].body()).isEqualTo(200);
    assertThat(last[0].body()).isEqualTo("null");
  }

  /** Forgets (without pageserver calls) every tenant with a location on these nodes. */
  public static void dropTenantsOn(ApiClient api, List<Long> nodes) {
    for (JsonNode tenant : api.get("/control/v1/tenant").json()) {
      boolean placedHere = false;
      for (JsonNode shard : tenant.get("shards")) {
        placedHere |= nodes.contains(shard.path("node_attached").asLong(-1));
        for (JsonNode secondary : shard.get("node_secondary")) {
          placedHere |= nodes.contains(secondary.asLong());
        }
      }
      if (placedHere) {
        api.post("/debug/v1/tenant/" + tenant.get("tenant_id").asString() + "/drop", "");
      }
    }
  }
}
