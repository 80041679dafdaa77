package io.storagecontroller.auth;

import com.sun.net.httpserver.HttpServer;
import io.storagecontroller.testing.ApiClient;
import io.storagecontroller.testing.ApiClient.Response;
import io.storagecontroller.testing.ControllerProcess;
import io.storagecontroller.testing.Ids;
import io.storagecontroller.tools.simulator.PageserverFleet;
import io.storagecontroller.tools.simulator.SimulatedPageserver;
import io.storagecontroller.tools.simulator.SimulatorOptions;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyPair;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CopyOnWriteArrayList;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

/**
 * Base of the tests that drive the service with auth on: a public key, every secret set (so strict
 * mode lets it start without --dev), planted secret values to look for in its output, and a copy of
 * the console (its log). Every subclass shares this one application context (one embedded
 * PostgreSQL).
 */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT)
abstract class AuthTestSupport {
  static {
    // Before this context starts: its log lines are read back for planted secrets.
    ConsoleCapture.install();
  }

  static final Duration DEADLINE = Duration.ofSeconds(60);

  /** The key pair whose public half the controller trusts. */
  static final KeyPair KEYS = Ed25519Keys.generate();

  /** Another key pair: tokens it signs must be refused. */
  static final KeyPair OTHER_KEYS = Ed25519Keys.generate();

  /** The controller's token towards pageservers (--jwt-token); the simulator demands it. */
  static final String PAGESERVER_TOKEN =
      JwtTokens.mint(KEYS.getPrivate(), Scope.PAGESERVER_API, null, null);

  static final String CONTROL_PLANE_TOKEN = "planted-control-plane-token-" + UUID.randomUUID();
  static final String SAFEKEEPER_TOKEN = "planted-safekeeper-token-" + UUID.randomUUID();
  static final String PEER_TOKEN = "planted-peer-token-" + UUID.randomUUID();

  /** Secret values that must never show in logs, responses or metrics. */
  static final Map<String, String> PLANTED =
      Map.of(
          "--jwt-token", PAGESERVER_TOKEN,
          "--control-plane-jwt-token", CONTROL_PLANE_TOKEN,
          "--safekeeper-jwt-token", SAFEKEEPER_TOKEN,
          "--peer-jwt-token", PEER_TOKEN);

  static final Path DATA_DIR = tempDir("storage_controller-auth-test");

  /** A stand-in control plane: answers every compute notification 200, keeps its Authorization. */
  static final List<String> CONTROL_PLANE_AUTHORIZATIONS = new CopyOnWriteArrayList<>();

  static final HttpServer CONTROL_PLANE = controlPlane();

  @LocalServerPort int port;

  private ApiClient client;

  @DynamicPropertySource
  static void authProperties(DynamicPropertyRegistry registry) {
    registry.add("storage-controller.data-dir", DATA_DIR::toString);
    registry.add("storage-controller.heartbeat-interval", () -> "200ms");
    registry.add("storage-controller.max-offline-interval", () -> "5s");
    registry.add("storage-controller.optimiser-interval", () -> "0s");
    registry.add("storage-controller.public-key", () -> Ed25519Keys.publicPem(KEYS.getPublic()));
    registry.add("storage-controller.jwt-token", () -> PAGESERVER_TOKEN);
    registry.add("storage-controller.control-plane-jwt-token", () -> CONTROL_PLANE_TOKEN);
    registry.add("storage-controller.safekeeper-jwt-token", () -> SAFEKEEPER_TOKEN);
    registry.add("storage-controller.peer-jwt-token", () -> PEER_TOKEN);
    registry.add(
        "storage-controller.control-plane-url",
        () -> "http://127.0.0.1:" + CONTROL_PLANE.getAddress().getPort() + "/");
  }

  String baseUrl() {
    return "http://127.0.0.1:" + port;
  }

  /** A token signed by the trusted key. */
  static String token(Scope scope) {
    return JwtTokens.mint(KEYS.getPrivate(), scope, null, null);
  }

  /** Requests with the given Authorization header value (null: no header). */
  Response call(String authorization, String method, String path, String body) {
    Map<String, String> headers = new LinkedHashMap<>();
    if (authorization != null) {
      headers.put("Authorization", authorization);
    }
    if (body != null) {
      headers.put("Content-Type", "application/json");
    }
    if (client == null) {
      client = new ApiClient(baseUrl());
    }
    return client.send(method, path, body, headers);
  }

  Response admin(String method, String path, String body) {
    return call("Bearer " + token(Scope.ADMIN), method, path, body);
  }

  /**
   * Simulated pageservers that upcall with a {@code generations_api} token and demand the
   * controller's {@code --jwt-token}; returns once every node is Active.
   */
  PageserverFleet startFleet(int pageservers) {
    PageserverFleet fleet =
        PageserverFleet.start(
            SimulatorOptions.defaults()
                .withPageservers(pageservers)
                .withFirstNodeId(Ids.nodeId() * 10)
                .withAvailabilityZone(node -> "az-auth")
                .withController(URI.create(baseUrl()))
                .withUpcallToken(token(Scope.GENERATIONS_API))
                .withRequiredToken(PAGESERVER_TOKEN));
    for (SimulatedPageserver ps : fleet.pageservers()) {
      ControllerProcess.await(
          DEADLINE,
          () ->
              "Active"
                  .equals(
                      admin("GET", "/control/v1/node/" + ps.nodeId(), null)
                          .json()
                          .path("availability")
                          .asString()),
          "node " + ps.nodeId() + " active");
    }
    return fleet;
  }

  /**
   * Forgets a fleet's nodes once it is gone: no later test places shards there, and nobody
   * heartbeats their ports (a later pageserver on one would be taken for the node).
   */
  void retire(PageserverFleet fleet) {
    for (SimulatedPageserver ps : fleet.pageservers()) {
      admin("POST", "/debug/v1/node/" + ps.nodeId() + "/drop", "");
    }
    fleet.close();
  }

  private static HttpServer controlPlane() {
    try {
      HttpServer server =
          HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
      server.createContext(
          "/",
          exchange -> {
            exchange.getRequestBody().readAllBytes();
            String authorization = exchange.getRequestHeaders().getFirst("Authorization");
            CONTROL_PLANE_AUTHORIZATIONS.add(String.valueOf(authorization));
            exchange.sendResponseHeaders(200, -1);
            exchange.close();
          });
      server.start();
      return server;
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private static Path tempDir(String prefix) {
    try {
      return Files.createTempDirectory(prefix);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
