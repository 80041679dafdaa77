package io.storagecontroller.optimiser;

import static org.assertj.core.api.Assertions.assertThat;

import io.storagecontroller.model.NodeId;
import io.storagecontroller.model.TenantId;
import io.storagecontroller.testing.ApiClient.Response;
import io.storagecontroller.testing.ControllerProcess;
import io.storagecontroller.testing.FleetTest;
import io.storagecontroller.testing.Storcon;
import io.storagecontroller.tools.simulator.SafetyRecorder.Promotion;
import io.storagecontroller.tools.simulator.SimulatedPageserver;
import io.storagecontroller.tools.simulator.SimulatorOptions;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.function.Predicate;
import java.util.stream.Stream;
import java.util.stream.StreamSupport;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;
import tools.jackson.databind.JsonNode;

/**
 * The optimiser alone refills a pageserver back from a failure: no drain, no fill. Secondaries take
 * their time to download here, so a cut-over that did not wait for its warm-up would be seen as a
 * cold promotion by the simulator.
 */
class OptimiserEndToEndTest extends FleetTest {
  static final int TENANTS = 30;

  @Autowired Optimiser optimiser;

  @DynamicPropertySource
  static void optimiserOn(DynamicPropertyRegistry registry) {
    registry.add("storage-controller.optimiser-interval", () -> "1s");
  }

  @Override
  protected SimulatorOptions fleetOptions(SimulatorOptions options) {
    return options.withSecondaryDownloadTime(Duration.ofSeconds(5));
  }

  @Test
  void aNodeBackFromFailureIsRefilledByTheOptimiserWithEveryShardWarmBeforeItsCutOver() {
    for (int i = 0; i < TENANTS; i++) {
      assertThat(create(TenantId.generate(), 0, 1).status()).isEqualTo(201);
    }
    assertThat(configure(true).path("paused").asBoolean()).isTrue();

    SimulatedPageserver failed = fleet.pageservers().get(0);
    NodeId node = failed.nodeId();
    failed.crash();
    ControllerProcess.await(
        DEADLINE, () -> attachedPerNode().get(node.value()) == 0, "node " + node + " evacuated");
    int promotionsBefore = fleet.safety().promotions().size();
    failed.restart();
    ControllerProcess.await(
        DEADLINE,
        () ->
            "Active"
                .equals(api.get("/control/v1/node/" + node).json().path("availability").asString()),
        "node " + node + " back");

    // Paused: a pass plans nothing although the returning node is empty.
    OptimiserPlan paused = optimiser.plan(64);
    assertThat(paused.isEmpty()).isTrue();
    assertThat(paused.idleBecause()).isEqualTo("paused by an operator");
    assertThat(api.get("/control/v1/optimiser").json().path("idle_because").asString())
        .isEqualTo("paused by an operator");

    assertThat(configure(false).path("paused").asBoolean()).isFalse();
    ControllerProcess.await(
        DEADLINE,
        () -> {
          Map<Long, Long> attached = attachedPerNode();
          long max = attached.values().stream().mapToLong(Long::longValue).max().orElseThrow();
          long min = attached.values().stream().mapToLong(Long::longValue).min().orElseThrow();
          // Intents move when a migration begins: level and every pass over is the end.
          return max - min <= 1 && passes().findAny().isPresent() && passes().noneMatch(running);
        },
        "attachments levelled by the optimiser");

    long refilled = attachedPerNode().get(node.value());
    assertThat(refilled).isGreaterThanOrEqualTo(TENANTS / 3 - 1);
    List<Promotion> ontoNode =
        fleet
            .safety()
            .promotions()
            .subList(promotionsBefore, fleet.safety().promotions().size())
            .stream()
            .filter(p -> p.node().equals(node))
            .toList();
    assertThat(ontoNode).hasSizeGreaterThanOrEqualTo((int) refilled);
    assertThat(ontoNode).as("promotions onto node %s", node).allMatch(Promotion::warm);
    assertThat(fleet.safety().violations()).isEmpty();
    assertThat(passes()).allMatch(p -> p.path("state").asString().equals("succeeded"));
    assertConsistent();
  }

  @Test
  void pausingNeedsABooleanAndAnAdminsWord() {
    Response missing = api.put("/control/v1/optimiser", "{}");
    assertThat(missing.status()).isEqualTo(400);
    assertThat(missing.json().path("msg").asString()).contains("\"paused\": true|false");
    Response wrongType = api.put("/control/v1/optimiser", "{\"paused\":\"soon\"}");
    assertThat(wrongType.status()).isEqualTo(400);
    JsonNode status = api.get("/control/v1/optimiser").json();
    assertThat(status.path("enabled").asBoolean()).isTrue();
    assertThat(status.path("interval").asLong()).isEqualTo(1);
  }

  @Test
  void preferredAzsAreSetInBulkAndUnknownShardsSkipped() {
    TenantId tenant = TenantId.generate();
    assertThat(create(tenant, 2, 1).status()).isEqualTo(201);
    String first = tenant + "-0002";
    String unknown = TenantId.generate() + "-0002";
    Response set =
        api.put(
            "/control/v1/preferred_azs",
            "{\"%s\":\"az-elsewhere\",\"%s\":\"az-x\"}".formatted(first, unknown));
    assertThat(set.status()).as(set.body()).isEqualTo(200);
    assertThat(set.json().path("updated").toString()).isEqualTo("[\"" + first + "\"]");
    JsonNode shards = api.get("/control/v1/tenant/" + tenant).json().path("shards");
    assertThat(shards.get(0).path("preferred_az_id").asString()).isEqualTo("az-elsewhere");
    assertThat(shards.get(1).path("preferred_az_id").asString()).isEqualTo(zone());
    assertThat(api.put("/control/v1/preferred_azs", "{\"nope\":\"az\"}").status()).isEqualTo(400);
    assertThat(api.put("/control/v1/preferred_azs", "{\"%s\":7}".formatted(first)).status())
        .isEqualTo(400);
    assertThat(api.put("/control/v1/preferred_azs", "[]").status()).isEqualTo(400);
    // Back home, and the database agrees with memory.
    api.put("/control/v1/preferred_azs", "{\"%s\":\"%s\"}".formatted(first, zone()));
    assertConsistent();
  }

  @Test
  void storconShowsPausesAndResumesIt() {
    Storcon storcon = new Storcon(baseUrl());
    Storcon.Run paused = storcon.run("optimiser", "pause");
    assertThat(paused.status()).as(paused.toString()).isZero();
    assertThat(paused.out()).contains("optimiser: paused, a pass every 1 s");
    Storcon.Run status = storcon.run("optimiser");
    assertThat(status.out()).contains("paused").contains("planning nothing: paused by an operator");
    Storcon.Run resumed = storcon.run("--json", "optimiser", "resume");
    assertThat(resumed.out()).contains("\"paused\" : false");
    assertThat(storcon.run("optimiser", "sideways").status()).isEqualTo(2);
  }

  private JsonNode configure(boolean paused) {
    Response response = api.put("/control/v1/optimiser", "{\"paused\":" + paused + "}");
    assertThat(response.status()).as(response.body()).isEqualTo(200);
    return response.json();
  }

  private final Predicate<JsonNode> running = op -> op.path("state").asString().equals("running");

  private Stream<JsonNode> passes() {
    return StreamSupport.stream(
            api.get("/control/v1/operations?limit=50").json().spliterator(), false)
        .filter(op -> op.get("kind").asString().equals(Optimiser.KIND));
  }
}
