package io.storagecontroller.tools.simulator;

import com.sun.net.httpserver.HttpExchange;
import io.storagecontroller.http.ApiError;
import io.storagecontroller.pageserver.PageserverJson;
import java.io.IOException;
import java.io.OutputStream;
import tools.jackson.databind.node.NullNode;

/**
 * A JSON answer of a simulated server; errors are Neon's {@code {"msg": ...}}. A null body sends no
 * body at all, for the routes whose OpenAPI description has no response content. The body is
 * serialized as it is when sent, with no JSON tree of it first (a listing of 20,000 locations built
 * as a tree cost the simulated fleet, which shares the benchmark's cores with the controller, about
 * as much again as writing it).
 */
record Reply(int status, Object body) {

  static Reply empty(int status) {
    return new Reply(status, null);
  }

  static Reply ok(Object body) {
    return of(200, body);
  }

  static Reply of(int status, Object body) {
    return new Reply(status, body == null ? NullNode.getInstance() : body);
  }

  static Reply error(int status, String msg) {
    return new Reply(status, PageserverJson.mapper().createObjectNode().put("msg", msg));
  }

  static Reply of(ApiError error) {
    return error(error.status().value(), error.getMessage());
  }

  /** Writes the answer; a caller that has gone away is not this server's problem. */
  void send(HttpExchange exchange) {
    try {
      if (body == null) {
        exchange.sendResponseHeaders(status, -1);
        return;
      }
      byte[] bytes = PageserverJson.mapper().writeValueAsBytes(body);
      exchange.getResponseHeaders().set("Content-Type", "application/json");
      exchange.sendResponseHeaders(status, bytes.length);
      try (OutputStream out = exchange.getResponseBody()) {
        out.write(bytes);
      }
    } catch (IOException e) {
      // The connection was closed (client timeout, server stopped): nothing left to answer.
    } finally {
      exchange.close();
    }
  }
}
