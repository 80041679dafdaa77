package io.storagecontroller.tools.simulator;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.storagecontroller.model.TenantId;
import io.storagecontroller.model.TenantShardId;
import io.storagecontroller.tools.simulator.HttpCalls.Response;
import java.io.IOException;
import java.net.ConnectException;
import java.net.http.HttpTimeoutException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** Each fault mode as a caller sees it, through the Java handle and the control API. */
class FaultsTest {
  PageserverFleet fleet;
  SimulatedPageserver pageserver;

  @BeforeEach
  void start() {
    fleet = PageserverFleet.start(2);
    pageserver = fleet.pageserver(1);
  }

  @AfterEach
  void stop() {
    fleet.close();
  }

  HttpCalls calls() {
    return new HttpCalls(pageserver.baseUrl());
  }

  TenantShardId attachOne() {
    TenantShardId id = TenantShardId.unsharded(TenantId.generate());
    assertThat(
            calls()
                .put(
                    "/v1/tenant/" + id + "/location_config",
                    PageserverApiTest.attached("AttachedSingle", 1))
                .status())
        .isEqualTo(200);
    return id;
  }

  @Test
  void downRefusesConnectionsAndKeepsMemory() {
    TenantShardId id = attachOne();
    int port = pageserver.port();
    pageserver.fault(Fault.down());
    assertThat(pageserver.isListening()).isFalse();
    assertThatThrownBy(() -> calls().sendOrThrow("GET", "/v1/status", null, null))
        .isInstanceOf(ConnectException.class);

    pageserver.clearFaults();
    assertThat(pageserver.port()).isEqualTo(port);
    assertThat(calls().get("/v1/status").status()).isEqualTo(200);
    assertThat(calls().get("/v1/location_config/" + id).body().get("generation").asLong())
        .isEqualTo(1);
  }

  @Test
  void aHealedPartitionCountsAsUpOnlyOnceAHeartbeatFindsIt() {
    TenantShardId id = attachOne();
    HttpCalls other = new HttpCalls(fleet.pageserver(2).baseUrl());
    pageserver.fault(Fault.down());
    pageserver.clearFaults();
    // Back on the network but unheard: superseding it is what a controller must do.
    assertThat(
            other
                .put(
                    "/v1/tenant/" + id + "/location_config",
                    PageserverApiTest.attached("AttachedSingle", 2))
                .status())
        .isEqualTo(200);
    assertThat(fleet.safety().violations()).isEmpty();

    // Any other answer does not tell a controller the node is back; a heartbeat's does.
    assertThat(calls().get("/v1/status").status()).isEqualTo(200);
    assertThat(
            other
                .put(
                    "/v1/tenant/" + id + "/location_config",
                    PageserverApiTest.attached("AttachedSingle", 3))
                .status())
        .isEqualTo(200);
    assertThat(fleet.safety().violations()).isEmpty();
    assertThat(calls().get("/v1/utilization").status()).isEqualTo(200);
    assertThat(
            other
                .put(
                    "/v1/tenant/" + id + "/location_config",
                    PageserverApiTest.attached("AttachedSingle", 4))
                .status())
        .isEqualTo(200);
    assertThat(fleet.safety().violations())
        .extracting(Violation::invariant)
        .containsExactly(Violation.Invariant.SINGLE_ATTACHED);
  }

  @Test
  void aHangingNodeIsGoneForTheSafetyRecordUntilAHeartbeatIsAnswered() {
    TenantShardId id = attachOne();
    HttpCalls other = new HttpCalls(fleet.pageserver(2).baseUrl());
    pageserver.fault(Fault.hanging());
    // It answers nobody, heartbeats included: superseding it is what a controller must do.
    assertThat(
            other
                .put(
                    "/v1/tenant/" + id + "/location_config",
                    PageserverApiTest.attached("AttachedSingle", 2))
                .status())
        .isEqualTo(200);
    assertThat(fleet.safety().violations()).isEmpty();

    pageserver.clearFaults();
    assertThat(calls().get("/v1/utilization").status()).isEqualTo(200);
    assertThat(
            other
                .put(
                    "/v1/tenant/" + id + "/location_config",
                    PageserverApiTest.attached("AttachedSingle", 3))
                .status())
        .isEqualTo(200);
    assertThat(fleet.safety().violations())
        .extracting(Violation::invariant)
        .containsExactly(Violation.Invariant.SINGLE_ATTACHED);
  }

  @Test
  void slowAnswersAfterTheLatency() {
    pageserver.fault(Fault.slow(Duration.ofMillis(300)));
    long started = System.nanoTime();
    assertThat(calls().get("/v1/status").status()).isEqualTo(200);
    assertThat(Duration.ofNanos(System.nanoTime() - started))
        .isGreaterThanOrEqualTo(Duration.ofMillis(300));
  }

  @Test
  void failingAnswers503AtTheGivenRate() {
    pageserver.fault(Fault.failing(1.0));
    Response failed = calls().get("/v1/status");
    assertThat(failed.status()).isEqualTo(503);
    assertThat(failed.msg()).isEqualTo("simulated failure");
    // The other node is unaffected.
    assertThat(new HttpCalls(fleet.pageserver(2).baseUrl()).get("/v1/status").status())
        .isEqualTo(200);
  }

  @Test
  void failuresRepeatForTheSameSeed() {
    List<Integer> first = statuses(Fault.failing(0.5, 42));
    List<Integer> second = statuses(Fault.failing(0.5, 42));
    assertThat(first).isEqualTo(second).contains(200, 503);
  }

  List<Integer> statuses(Fault fault) {
    pageserver.fault(fault);
    HttpCalls calls = calls();
    List<Integer> statuses = new ArrayList<>();
    for (int i = 0; i < 30; i++) {
      statuses.add(calls.get("/v1/status").status());
    }
    return statuses;
  }

  @Test
  void hangingNeverAnswersUntilCleared() throws Exception {
    pageserver.fault(Fault.hanging());
    HttpCalls impatient = new HttpCalls(pageserver.baseUrl(), Duration.ofMillis(300));
    assertThatThrownBy(() -> impatient.sendOrThrow("GET", "/v1/status", null, null))
        .isInstanceOf(HttpTimeoutException.class);

    // A POST, because the JDK client silently retries an idempotent GET on a dropped connection.
    String post = "/v1/tenant/" + TenantShardId.unsharded(TenantId.generate()) + "/heatmap_upload";
    CompletableFuture<Object> waiting =
        CompletableFuture.supplyAsync(
            () -> {
              try {
                return calls().sendOrThrow("POST", post, null, null);
              } catch (IOException e) {
                return e;
              }
            });
    Eventually.await(
        Duration.ofSeconds(5),
        () -> pageserver.requests().stream().anyMatch(r -> r.uri().equals(post)),
        seen -> seen);
    assertThat(waiting).isNotDone();
    pageserver.clearFaults();
    // The hung exchange is closed without an answer: the caller sees the connection drop.
    assertThat(waiting.get(5, TimeUnit.SECONDS)).isInstanceOf(IOException.class);
    assertThat(calls().get("/v1/status").status()).isEqualTo(200);
  }

  @Test
  void crashAndRestartForgetsLocationsButNotRemoteStorage() {
    TenantShardId id = attachOne();
    int port = pageserver.port();
    pageserver.restart();
    assertThat(pageserver.port()).isEqualTo(port);
    assertThat(pageserver.locations()).isEmpty();
    assertThat(calls().get("/v1/location_config/" + id).body().isNull()).isTrue();
    assertThat(fleet.remoteStorage().highestGeneration(id))
        .hasValueSatisfying(g -> assertThat(g.value()).isEqualTo(1));

    pageserver.crash();
    assertThatThrownBy(() -> calls().sendOrThrow("GET", "/v1/status", null, null))
        .isInstanceOf(ConnectException.class);
    pageserver.start();
    assertThat(calls().get("/v1/status").status()).isEqualTo(200);
  }

  @Test
  void theControlApiSetsFaultsAndRestarts() throws Exception {
    HttpCalls control = new HttpCalls(fleet.controlUrl());
    Response listed = control.get("/simulator/v1/pageservers");
    assertThat(listed.body()).hasSize(2);
    assertThat(listed.body().get(0).get("url").asString())
        .isEqualTo(pageserver.baseUrl().toString());

    Response down = control.put("/simulator/v1/pageservers/1/fault", "{\"kind\":\"down\"}");
    assertThat(down.status()).isEqualTo(200);
    assertThat(down.body().get("listening").asBoolean()).isFalse();
    assertThatThrownBy(() -> calls().sendOrThrow("GET", "/v1/status", null, null))
        .isInstanceOf(ConnectException.class);

    assertThat(control.put("/simulator/v1/pageservers/1/fault", "{\"kind\":\"none\"}").status())
        .isEqualTo(200);
    assertThat(calls().get("/v1/status").status()).isEqualTo(200);

    control.put(
        "/simulator/v1/pageservers/1/fault",
        "{\"kind\":\"failing\",\"error_rate\":1.0,\"seed\":3}");
    assertThat(calls().get("/v1/status").status()).isEqualTo(503);
    control.put("/simulator/v1/pageservers/1/fault", "{\"kind\":\"slow\",\"latency_ms\":1}");
    assertThat(pageserver.faults()).containsExactly(Fault.slow(Duration.ofMillis(1)));
    assertThat(control.put("/simulator/v1/pageservers/1/fault", "{\"kind\":\"wobbly\"}").status())
        .isEqualTo(400);
    assertThat(control.delete("/simulator/v1/pageservers/1/fault").status()).isEqualTo(200);
    assertThat(pageserver.faults()).isEmpty();

    TenantShardId id = attachOne();
    assertThat(control.post("/simulator/v1/pageservers/1/restart", null).status()).isEqualTo(200);
    assertThat(pageserver.location(id)).isEmpty();
    assertThat(control.post("/simulator/v1/pageservers/99/restart", null).status()).isEqualTo(404);

    Response safety = control.get("/simulator/v1/safety");
    assertThat(safety.body().get("violations")).isEmpty();
    assertThat(safety.body().get("location_changes").asInt()).isGreaterThanOrEqualTo(2);

    String sized = "/simulator/v1/tenants/" + id.tenantId() + "/logical_size";
    assertThat(control.put(sized, "{\"max_logical_size\":12345}").status()).isEqualTo(200);
    assertThat(fleet.remoteStorage().logicalSize(id.tenantId())).isEqualTo(12345);
    assertThat(control.put(sized, "{\"max_logical_size\":-1}").status()).isEqualTo(400);
    assertThat(control.put(sized, "{}").status()).isEqualTo(400);
    assertThat(control.put("/simulator/v1/tenants/nope/logical_size", "{}").status())
        .isEqualTo(400);
  }
}
