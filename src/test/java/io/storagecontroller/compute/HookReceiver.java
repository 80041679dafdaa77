package io.storagecontroller.compute;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Queue;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * A stand-in control plane: records every notify-attach request and answers with scripted statuses
 * (then a default), optionally after a delay or never (until closed).
 */
final class HookReceiver implements AutoCloseable {
  private static final JsonMapper JSON = JsonMapper.builder().build();

  /** One request as received. {@code authorization} is null when the header was absent. */
  record Received(
      String method, String path, String authorization, String contentType, JsonNode body) {}

  private final HttpServer server;
  private final ExecutorService executor = Executors.newCachedThreadPool();
  private final List<Received> received = new CopyOnWriteArrayList<>();
  private final Queue<Integer> scripted = new ConcurrentLinkedQueue<>();
  private final CountDownLatch closed = new CountDownLatch(1);
  private final AtomicInteger inFlight = new AtomicInteger();
  private final AtomicInteger maxInFlight = new AtomicInteger();
  private volatile int defaultStatus = 200;
  private volatile long delayMillis;
  private volatile boolean hang;

  private HookReceiver() throws IOException {
    server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
    server.createContext("/", this::handle);
    server.setExecutor(executor);
    server.start();
  }

  static HookReceiver start() {
    try {
      return new HookReceiver();
    } catch (IOException e) {
      throw new IllegalStateException(e);
    }
  }

  /** The control-plane URL to configure: the hook appends {@code /notify-attach}. */
  String controlPlaneUrl() {
    return "http://127.0.0.1:" + server.getAddress().getPort() + "/";
  }

  /** Answers the next requests with these statuses, in order, then with the default. */
  void respond(int... statuses) {
    for (int status : statuses) {
      scripted.add(status);
    }
  }

  void alwaysRespond(int status) {
    scripted.clear();
    defaultStatus = status;
  }

  void delay(long millis) {
    delayMillis = millis;
  }

  /** Holds every request without answering, until closed. */
  void hang() {
    hang = true;
  }

  /** Answers requests again (those already held stay unanswered). */
  void stopHanging() {
    hang = false;
  }

  List<Received> received() {
    return new ArrayList<>(received);
  }

  List<JsonNode> bodies() {
    return received.stream().map(Received::body).toList();
  }

  int maxInFlight() {
    return maxInFlight.get();
  }

  private void handle(HttpExchange exchange) throws IOException {
    int now = inFlight.incrementAndGet();
    maxInFlight.accumulateAndGet(now, Math::max);
    try (exchange) {
      byte[] body;
      try (InputStream in = exchange.getRequestBody()) {
        body = in.readAllBytes();
      }
      received.add(
          new Received(
              exchange.getRequestMethod(),
              exchange.getRequestURI().getPath(),
              exchange.getRequestHeaders().getFirst("Authorization"),
              exchange.getRequestHeaders().getFirst("Content-Type"),
              JSON.readTree(new String(body, StandardCharsets.UTF_8))));
      try {
        if (hang) {
          closed.await(30, TimeUnit.SECONDS);
          return;
        }
        if (delayMillis > 0) {
          Thread.sleep(delayMillis);
        }
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        return;
      }
      Integer next = scripted.poll();
      int status = next == null ? defaultStatus : next;
      byte[] answer = ("{\"status\":" + status + "}").getBytes(StandardCharsets.UTF_8);
      exchange.getResponseHeaders().set("Content-Type", "application/json");
      exchange.sendResponseHeaders(status, answer.length);
      try (OutputStream out = exchange.getResponseBody()) {
        out.write(answer);
      }
    } finally {
      inFlight.decrementAndGet();
    }
  }

  @Override
  public void close() {
    closed.countDown();
    server.stop(0);
    executor.shutdownNow();
  }
}
