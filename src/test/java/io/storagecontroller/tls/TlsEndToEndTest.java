package io.storagecontroller.tls;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.storagecontroller.model.TenantId;
import io.storagecontroller.testing.ApiClient;
import io.storagecontroller.testing.ApiClient.Response;
import io.storagecontroller.testing.ControllerProcess;
import io.storagecontroller.testing.FleetTest;
import io.storagecontroller.testing.Ids;
import io.storagecontroller.tools.simulator.PageserverFleet;
import io.storagecontroller.tools.simulator.RecordedRequest;
import io.storagecontroller.tools.simulator.SimulatedPageserver;
import io.storagecontroller.tools.simulator.SimulatorOptions;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.util.List;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLHandshakeException;
import org.junit.jupiter.api.Test;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

/**
 * HTTPS both ways: the controller calls pageservers (the simulator serving the test CA's
 * certificate) over HTTPS, trusting the CA of {@code --ssl-ca-file}, and refuses a pageserver whose
 * certificate no trusted CA signed; it serves its own API on {@code --listen-https}.
 */
class TlsEndToEndTest extends FleetTest {
  static final Path DIR = Path.of("src/test/resources/tls").toAbsolutePath();
  static final int HTTPS_PORT = freePort();

  @DynamicPropertySource
  static void https(DynamicPropertyRegistry registry) {
    registry.add("storage-controller.use-https-pageserver-api", () -> "true");
    registry.add("storage-controller.ssl-ca-file", () -> DIR.resolve("test-ca.crt").toString());
    registry.add("storage-controller.listen-https", () -> "127.0.0.1:" + HTTPS_PORT);
    registry.add(
        "storage-controller.ssl-cert-file", () -> DIR.resolve("test-server.crt").toString());
    registry.add(
        "storage-controller.ssl-key-file", () -> DIR.resolve("test-server.key").toString());
  }

  static SSLContext serverTls(String who) {
    return TlsMaterial.serverContext(
        DIR.resolve(who + "-server.crt"), DIR.resolve(who + "-server.key"));
  }

  @Override
  protected SimulatorOptions fleetOptions(SimulatorOptions options) {
    return options.withTls(serverTls("test"));
  }

  @Test
  void pageserversAreCalledOverHttpsOnly() {
    TenantId tenant = TenantId.generate();
    Response created = create(tenant, 2, 1);
    assertThat(created.status()).as(created.body()).isEqualTo(201);
    assertPlacedAsIntended(tenant, 1);
    for (SimulatedPageserver ps : fleet.pageservers()) {
      assertThat(
              api.get("/control/v1/node/" + ps.nodeId()).json().path("listen_https_port").asInt())
          .isEqualTo(ps.httpsPort());
      List<RecordedRequest> calls = ps.requests();
      assertThat(calls).anyMatch(r -> r.uri().contains("/location_config"));
      assertThat(calls).allMatch(RecordedRequest::tls);
    }
  }

  @Test
  void aPageserverWithAnUntrustedCertificateIsRefusedCountedAndNeverActive() {
    long id = Ids.nodeId() * 10;
    String series =
        "storage_controller_pageserver_tls_failures_total{pageserver_id=\"" + id + "\"}";
    try (PageserverFleet stranger =
        PageserverFleet.start(
            SimulatorOptions.defaults()
                .withPageservers(1)
                .withFirstNodeId(id)
                .withAvailabilityZone(node -> zone())
                .withController(URI.create(baseUrl()))
                .withTls(serverTls("untrusted")))) {
      ControllerProcess.await(
          DEADLINE, () -> api.metric(series) >= 1, "a TLS failure counted for node " + id);
      assertThat(api.get("/control/v1/node/" + id).json().path("availability").asString())
          .isNotEqualTo("Active");
      assertThat(stranger.pageserver(id).requests()).noneMatch(r -> r.uri().contains("/v1/"));
    } finally {
      api.post("/debug/v1/node/" + id + "/drop", "");
    }
  }

  @Test
  void aPageserverWithoutAnHttpsPortCannotRegister() {
    long id = Ids.nodeId() * 10;
    Response refused =
        api.post(
            "/control/v1/node",
            """
            {"node_id":%d,"listen_pg_addr":"127.0.0.1","listen_pg_port":6400,
             "listen_http_addr":"127.0.0.1","listen_http_port":9898,
             "availability_zone_id":"az-x"}"""
                .formatted(id));
    assertThat(refused.status()).isEqualTo(412);
    // Neon's PreconditionFailed, prefixed as Neon prints it.
    assertThat(refused.msg())
        .isEqualTo(
            "Precondition failed: Node " + id + " has no https port, but use_https is enabled");
    assertThat(api.get("/control/v1/node/" + id).status()).isEqualTo(404);
  }

  @Test
  void theApiIsServedOverHttpsWithTheConfiguredCertificate() throws Exception {
    HttpClient trusting =
        HttpClient.newBuilder()
            .sslContext(TlsMaterial.clientContext(DIR.resolve("test-ca.crt")))
            .build();
    HttpRequest status =
        HttpRequest.newBuilder(URI.create("https://127.0.0.1:" + HTTPS_PORT + "/status")).build();
    HttpResponse<String> answer = trusting.send(status, HttpResponse.BodyHandlers.ofString());
    assertThat(answer.statusCode()).isEqualTo(200);
    HttpRequest nodes =
        HttpRequest.newBuilder(URI.create("https://127.0.0.1:" + HTTPS_PORT + "/control/v1/node"))
            .build();
    assertThat(trusting.send(nodes, HttpResponse.BodyHandlers.ofString()).body())
        .isEqualTo(new ApiClient(baseUrl()).get("/control/v1/node").body());

    HttpClient untrusting =
        HttpClient.newBuilder()
            .sslContext(TlsMaterial.clientContext(DIR.resolve("untrusted-ca.crt")))
            .build();
    assertThatThrownBy(() -> untrusting.send(status, HttpResponse.BodyHandlers.ofString()))
        .isInstanceOf(SSLHandshakeException.class);
  }

  private static int freePort() {
    try (ServerSocket socket = new ServerSocket(0)) {
      return socket.getLocalPort();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
