package io.storagecontroller.tools.bench;

import com.sun.net.httpserver.HttpServer;
import io.storagecontroller.tools.harness.ControllerHttp;
import io.storagecontroller.tools.simulator.NoDelayServers;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.HashSet;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicLong;
import tools.jackson.databind.JsonNode;

/**
 * Stands in for the control plane's {@code notify-attach}: remembers, per tenant, the nodes of the
 * last notification, so the benchmark knows when computes have learnt where shards went.
 */
final class ComputeHookReceiver implements AutoCloseable {
  private final HttpServer server;
  private final Map<String, Set<Long>> lastNodes = new ConcurrentHashMap<>();
  private final AtomicLong lastNotifiedAt = new AtomicLong(System.nanoTime());

  ComputeHookReceiver() {
    try {
      server = NoDelayServers.http(new InetSocketAddress("127.0.0.1", 0));
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    server.setExecutor(Executors.newFixedThreadPool(8));
    server.createContext(
        "/notify-attach",
        exchange -> {
          JsonNode body = ControllerHttp.JSON.readTree(exchange.getRequestBody().readAllBytes());
          Set<Long> nodes = new HashSet<>();
          body.path("shards").forEach(s -> nodes.add(s.path("node_id").asLong()));
          lastNodes.put(body.path("tenant_id").asString(), nodes);
          lastNotifiedAt.set(System.nanoTime());
          exchange.sendResponseHeaders(200, -1);
          exchange.close();
        });
    server.start();
  }

  String url() {
    return "http://127.0.0.1:" + server.getAddress().getPort();
  }

  /** Whether the tenant's last notification names none of these nodes. */
  boolean notifiedAwayFrom(String tenant, long node) {
    Set<Long> nodes = lastNodes.get(tenant);
    return nodes != null && !nodes.isEmpty() && !nodes.contains(node);
  }

  /**
   * Whether no notification came for this long: a restart notifies every tenant, and at 100,000
   * shards that takes minutes in the background; a phase measured meanwhile shares the CPU with it.
   */
  boolean quietFor(Duration quiet) {
    return System.nanoTime() - lastNotifiedAt.get() > quiet.toNanos();
  }

  @Override
  public void close() {
    server.stop(0);
  }
}
