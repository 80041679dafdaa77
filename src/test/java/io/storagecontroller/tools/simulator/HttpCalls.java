package io.storagecontroller.tools.simulator;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/** Real HTTP calls to a simulated server, as the controller's client makes them. */
final class HttpCalls {
  static final JsonMapper JSON = JsonMapper.builder().build();

  /** A status and its JSON body (null node for an empty body). */
  record Response(int status, JsonNode body) {
    String msg() {
      return body.path("msg").asString();
    }
  }

  private final URI base;
  private final HttpClient http;
  private final Duration timeout;

  HttpCalls(URI base) {
    this(base, Duration.ofSeconds(10));
  }

  HttpCalls(URI base, Duration timeout) {
    this.base = base;
    this.timeout = timeout;
    this.http =
        HttpClient.newBuilder()
            .version(HttpClient.Version.HTTP_1_1)
            .connectTimeout(Duration.ofSeconds(2))
            .build();
  }

  Response get(String path) {
    return send("GET", path, null);
  }

  Response put(String path, String json) {
    return send("PUT", path, json);
  }

  Response post(String path, String json) {
    return send("POST", path, json);
  }

  Response delete(String path) {
    return send("DELETE", path, null);
  }

  Response send(String method, String path, String json) {
    try {
      return sendOrThrow(method, path, json, null);
    } catch (IOException e) {
      throw new UncheckedIOException(method + " " + path, e);
    }
  }

  /** Lets transport failures through, for tests of faults. */
  Response sendOrThrow(String method, String path, String json, String authorization)
      throws IOException {
    HttpRequest.Builder request =
        HttpRequest.newBuilder(base.resolve(path))
            .timeout(timeout)
            .header("Content-Type", "application/json")
            .method(method, HttpRequest.BodyPublishers.ofString(json == null ? "null" : json));
    if (authorization != null) {
      request.header("Authorization", authorization);
    }
    try {
      HttpResponse<String> response =
          http.send(request.build(), HttpResponse.BodyHandlers.ofString());
      String body = response.body();
      return new Response(
          response.statusCode(), body.isEmpty() ? JSON.nullNode() : JSON.readTree(body));
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IOException("interrupted", e);
    }
  }
}
