package io.storagecontroller.tools.simulator;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ArrayNode;
import tools.jackson.databind.node.ObjectNode;

/** A controller that answers upcalls with canned answers and remembers what it was sent. */
final class FakeController implements AutoCloseable {
  private final HttpServer server;
  final List<JsonNode> reAttaches = new CopyOnWriteArrayList<>();
  final List<JsonNode> validates = new CopyOnWriteArrayList<>();
  volatile String reAttachAnswer = "{\"tenants\":[]}";
  volatile boolean valid = true;

  /** Re-attach answers wait for this, to observe a pageserver that is still starting. */
  volatile CountDownLatch reAttachGate = new CountDownLatch(0);

  FakeController() {
    try {
      server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    server.createContext("/upcall/v1/re-attach", this::reAttach);
    server.createContext("/upcall/v1/validate", this::validate);
    server.start();
  }

  URI url() {
    return URI.create("http://127.0.0.1:" + server.getAddress().getPort());
  }

  private void reAttach(HttpExchange exchange) throws IOException {
    reAttaches.add(HttpCalls.JSON.readTree(exchange.getRequestBody().readAllBytes()));
    try {
      reAttachGate.await();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
    answer(exchange, reAttachAnswer);
  }

  /** Answers every asked shard with the current verdict. */
  private void validate(HttpExchange exchange) throws IOException {
    JsonNode request = HttpCalls.JSON.readTree(exchange.getRequestBody().readAllBytes());
    validates.add(request);
    ObjectNode response = HttpCalls.JSON.createObjectNode();
    ArrayNode tenants = response.putArray("tenants");
    request
        .get("tenants")
        .forEach(t -> tenants.addObject().put("id", t.get("id").asString()).put("valid", valid));
    answer(exchange, response.toString());
  }

  private static void answer(HttpExchange exchange, String json) throws IOException {
    byte[] bytes = json.getBytes(StandardCharsets.UTF_8);
    exchange.getResponseHeaders().set("Content-Type", "application/json");
    exchange.sendResponseHeaders(200, bytes.length);
    try (OutputStream out = exchange.getResponseBody()) {
      out.write(bytes);
    }
  }

  @Override
  public void close() {
    server.stop(0);
  }
}
