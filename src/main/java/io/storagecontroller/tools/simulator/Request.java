package io.storagecontroller.tools.simulator;

import com.sun.net.httpserver.HttpExchange;
import io.storagecontroller.http.ApiError;
import io.storagecontroller.model.TenantShardId;
import io.storagecontroller.model.TimelineId;
import io.storagecontroller.pageserver.PageserverJson;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalLong;
import tools.jackson.core.JacksonException;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.MissingNode;

/** One HTTP request to a simulated server, with the parameters its route matched. */
record Request(
    String method,
    String path,
    Map<String, String> query,
    Map<String, String> params,
    byte[] body) {

  static Request read(HttpExchange exchange) {
    try (InputStream in = exchange.getRequestBody()) {
      return new Request(
          exchange.getRequestMethod(),
          exchange.getRequestURI().getPath(),
          parseQuery(exchange.getRequestURI().getRawQuery()),
          Map.of(),
          in.readAllBytes());
    } catch (IOException e) {
      throw new UncheckedIOException("reading the request body", e);
    }
  }

  Request withParams(Map<String, String> matched) {
    return new Request(method, path, query, Map.copyOf(matched), body);
  }

  TenantShardId tenantShardId() {
    String text = params.get("tenant_shard_id");
    try {
      return TenantShardId.parse(text);
    } catch (IllegalArgumentException e) {
      throw ApiError.badRequest(e.getMessage());
    }
  }

  TimelineId timelineId() {
    try {
      return TimelineId.parse(params.get("timeline_id"));
    } catch (IllegalArgumentException e) {
      throw ApiError.badRequest(e.getMessage());
    }
  }

  Optional<String> query(String name) {
    return Optional.ofNullable(query.get(name));
  }

  OptionalLong longQuery(String name) {
    String text = query.get(name);
    if (text == null) {
      return OptionalLong.empty();
    }
    try {
      return OptionalLong.of(Long.parseLong(text));
    } catch (NumberFormatException e) {
      throw ApiError.badRequest("invalid query parameter " + name + ": '" + text + "'");
    }
  }

  Optional<Boolean> booleanQuery(String name) {
    String text = query.get(name);
    if (text == null) {
      return Optional.empty();
    }
    if (!text.equals("true") && !text.equals("false")) {
      throw ApiError.badRequest("invalid query parameter " + name + ": '" + text + "'");
    }
    return Optional.of(Boolean.parseBoolean(text));
  }

  /** The JSON object body; no body, or the literal {@code null} clients send, reads as {}. */
  JsonBody json() {
    return JsonBody.of(jsonNode());
  }

  /** The JSON body as sent; a missing node for no body or {@code null}. */
  JsonNode jsonNode() {
    if (body.length == 0) {
      return MissingNode.getInstance();
    }
    try {
      JsonNode node = PageserverJson.mapper().readTree(body);
      return node == null || node.isNull() ? MissingNode.getInstance() : node;
    } catch (JacksonException e) {
      throw ApiError.badRequest("malformed JSON body: " + e.getOriginalMessage());
    }
  }

  private static Map<String, String> parseQuery(String raw) {
    Map<String, String> query = new HashMap<>();
    if (raw == null || raw.isEmpty()) {
      return query;
    }
    for (String pair : raw.split("&")) {
      int eq = pair.indexOf('=');
      String name = eq < 0 ? pair : pair.substring(0, eq);
      String value = eq < 0 ? "" : pair.substring(eq + 1);
      query.put(
          URLDecoder.decode(name, StandardCharsets.UTF_8),
          URLDecoder.decode(value, StandardCharsets.UTF_8));
    }
    return query;
  }
}
