package io.storagecontroller.tools.simulator;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import io.storagecontroller.http.ApiError;
import io.storagecontroller.model.NodeId;
import io.storagecontroller.model.TenantId;
import io.storagecontroller.pageserver.PageserverJson;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.net.URI;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.ExecutorService;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ArrayNode;
import tools.jackson.databind.node.ObjectNode;

/**
 * The fleet's control API, for demos and out-of-process tests:
 *
 * <ul>
 *   <li>{@code GET /simulator/v1/pageservers}, {@code GET /simulator/v1/pageservers/{node_id}}
 *   <li>{@code PUT /simulator/v1/pageservers/{node_id}/fault} with {@code {"kind": "down" | "slow"
 *       | "failing" | "hanging" | "failing_route" | "none", "latency_ms": n, "error_rate": 0.5,
 *       "seed": n, "path_suffix": "/shard_split", "status": 500}}, or {@code {"faults": [...]}} to
 *       combine; replaces the node's faults
 *   <li>{@code DELETE /simulator/v1/pageservers/{node_id}/fault}: clears them
 *   <li>{@code POST /simulator/v1/pageservers/{node_id}/restart} (crash and restart), {@code
 *       .../crash}, {@code .../start}
 *   <li>{@code GET /simulator/v1/safety}: the violations so far and the size of the record
 *   <li>{@code PUT /simulator/v1/tenants/{tenant_id}/logical_size} with {@code {"max_logical_size":
 *       n}}: the size every pageserver's {@code top_tenants} reports for it (auto-split)
 * </ul>
 */
final class ControlServer implements AutoCloseable {
  private final PageserverFleet fleet;
  private final Router router = new Router();
  private final HttpServer server;

  ControlServer(PageserverFleet fleet, InetSocketAddress address, ExecutorService executor) {
    this.fleet = fleet;
    router
        .add("GET", "/simulator/v1/pageservers", r -> pageservers())
        .add("GET", "/simulator/v1/pageservers/{node_id}", r -> Reply.ok(describe(node(r))))
        .add("PUT", "/simulator/v1/pageservers/{node_id}/fault", this::fault)
        .add("DELETE", "/simulator/v1/pageservers/{node_id}/fault", r -> act(r, Action.CLEAR))
        .add("POST", "/simulator/v1/pageservers/{node_id}/restart", r -> act(r, Action.RESTART))
        .add("POST", "/simulator/v1/pageservers/{node_id}/crash", r -> act(r, Action.CRASH))
        .add("POST", "/simulator/v1/pageservers/{node_id}/start", r -> act(r, Action.START))
        .add("GET", "/simulator/v1/safety", r -> safety())
        .add("PUT", "/simulator/v1/tenants/{tenant_id}/logical_size", this::logicalSize);
    try {
      server = NoDelayServers.http(address);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot listen on " + address, e);
    }
    server.createContext("/", this::handle);
    server.setExecutor(executor);
    server.start();
  }

  URI url() {
    InetSocketAddress address = server.getAddress();
    String host = address.getAddress().getHostAddress();
    return URI.create(
        "http://" + (host.contains(":") ? "[" + host + "]" : host) + ":" + address.getPort());
  }

  @Override
  public void close() {
    server.stop(0);
  }

  private enum Action {
    CLEAR,
    RESTART,
    CRASH,
    START
  }

  private void handle(HttpExchange exchange) {
    Reply reply;
    try {
      reply = router.dispatch(Request.read(exchange));
    } catch (ApiError e) {
      reply = Reply.of(e);
    } catch (RuntimeException e) {
      reply = Reply.error(500, e.toString());
    }
    reply.send(exchange);
  }

  private Reply pageservers() {
    ArrayNode body = PageserverJson.mapper().createArrayNode();
    fleet.pageservers().forEach(p -> body.add(describe(p)));
    return new Reply(200, body);
  }

  private Reply fault(Request request) {
    SimulatedPageserver pageserver = node(request);
    JsonBody body = request.json();
    List<Fault> faults = new ArrayList<>();
    JsonNode list = body.node().get("faults");
    if (list != null && list.isArray()) {
      list.forEach(f -> parse(JsonBody.of(f)).ifPresent(faults::add));
    } else {
      parse(body).ifPresent(faults::add);
    }
    pageserver.fault(faults.toArray(Fault[]::new));
    return Reply.ok(describe(pageserver));
  }

  private static Optional<Fault> parse(JsonBody body) {
    String kind = body.requiredString("kind");
    switch (kind) {
      case "none":
        return Optional.empty();
      case "down":
        return Optional.of(Fault.down());
      case "hanging":
        return Optional.of(Fault.hanging());
      case "slow":
        long latency =
            body.optionalLong("latency_ms").orElseThrow(() -> JsonBody.missing("latency_ms"));
        if (latency < 0) {
          throw ApiError.badRequest("invalid `latency_ms`: must not be negative");
        }
        return Optional.of(Fault.slow(Duration.ofMillis(latency)));
      case "failing":
        double rate =
            body.value("error_rate").filter(JsonNode::isNumber).map(JsonNode::asDouble).orElse(1.0);
        if (!(rate >= 0 && rate <= 1)) {
          throw ApiError.badRequest("invalid `error_rate`: expected a number within 0..1");
        }
        return Optional.of(Fault.failing(rate, body.longOr("seed", 0)));
      case "failing_route":
        long status = body.longOr("status", 500);
        if (status < 400 || status > 599) {
          throw ApiError.badRequest("invalid `status`: expected an error status within 400..599");
        }
        return Optional.of(Fault.failingRoute(body.requiredString("path_suffix"), (int) status));
      default:
        throw ApiError.badRequest(
            "unknown fault kind '"
                + kind
                + "': expected down, slow, failing, hanging, failing_route or none");
    }
  }

  private Reply act(Request request, Action action) {
    SimulatedPageserver pageserver = node(request);
    switch (action) {
      case CLEAR -> pageserver.clearFaults();
      case RESTART -> pageserver.restart();
      case CRASH -> pageserver.crash();
      case START -> pageserver.start();
    }
    return Reply.ok(describe(pageserver));
  }

  private Reply logicalSize(Request request) {
    String text = request.params().get("tenant_id");
    TenantId tenant;
    try {
      tenant = TenantId.parse(text);
    } catch (IllegalArgumentException e) {
      throw ApiError.badRequest("invalid tenant id '" + text + "': " + e.getMessage());
    }
    long bytes =
        request
            .json()
            .optionalLong("max_logical_size")
            .orElseThrow(() -> JsonBody.missing("max_logical_size"));
    if (bytes < 0) {
      throw ApiError.badRequest("invalid `max_logical_size`: must not be negative");
    }
    fleet.remoteStorage().setLogicalSize(tenant, bytes);
    ObjectNode body = PageserverJson.mapper().createObjectNode();
    body.put("tenant_id", tenant.toString()).put("max_logical_size", bytes);
    return Reply.ok(body);
  }

  private Reply safety() {
    SafetyRecorder recorder = fleet.safety();
    ObjectNode body = PageserverJson.mapper().createObjectNode();
    ArrayNode violations = body.putArray("violations");
    recorder.violations().forEach(v -> violations.add(v.toString()));
    body.put("location_changes", recorder.locationChanges().size());
    body.put("remote_deletions", recorder.deletions().size());
    return new Reply(200, body);
  }

  private SimulatedPageserver node(Request request) {
    String text = request.params().get("node_id");
    try {
      return fleet.pageserver(NodeId.valueOf(text));
    } catch (IllegalArgumentException e) {
      throw ApiError.notFound("pageserver '" + text + "': " + e.getMessage());
    }
  }

  private static ObjectNode describe(SimulatedPageserver pageserver) {
    ObjectNode node = PageserverJson.mapper().createObjectNode();
    node.put("node_id", pageserver.nodeId().value());
    node.put("url", pageserver.baseUrl().toString());
    node.put("listening", pageserver.isListening());
    node.put("shard_count", pageserver.locations().size());
    ArrayNode faults = node.putArray("faults");
    for (Fault fault : pageserver.faults()) {
      ObjectNode f = faults.addObject();
      if (fault instanceof Fault.Down) {
        f.put("kind", "down");
      } else if (fault instanceof Fault.Hanging) {
        f.put("kind", "hanging");
      } else if (fault instanceof Fault.Slow slow) {
        f.put("kind", "slow").put("latency_ms", slow.latency().toMillis());
      } else if (fault instanceof Fault.Failing failing) {
        f.put("kind", "failing").put("error_rate", failing.rate()).put("seed", failing.seed());
      } else if (fault instanceof Fault.FailingRoute route) {
        f.put("kind", "failing_route")
            .put("path_suffix", route.pathSuffix())
            .put("status", route.status());
      }
    }
    return node;
  }
}
