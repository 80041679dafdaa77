package io.storagecontroller.testing;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Map;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * Real HTTP on loopback to a running controller, the way the control plane and pageservers call it.
 */
public final class ApiClient {
  private static final JsonMapper JSON = JsonMapper.builder().build();

  private final String baseUrl;
  private final HttpClient http =
      HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

  public ApiClient(String baseUrl) {
    this.baseUrl = baseUrl;
  }

  public Response get(String path) {
    return send("GET", path, null, Map.of());
  }

  public Response post(String path, String json) {
    return send("POST", path, json, Map.of("Content-Type", "application/json"));
  }

  public Response put(String path, String json) {
    return send("PUT", path, json, Map.of("Content-Type", "application/json"));
  }

  public Response delete(String path) {
    return send("DELETE", path, null, Map.of());
  }

  /**
   * The value of a series in {@code /metrics}: {@code name{label="v"}} exactly, or a bare name
   * summed over all its labels; 0 when absent.
   */
  public double metric(String series) {
    double sum = 0;
    for (String line : get("/metrics").body().split("\n")) {
      if (line.startsWith(series + " ")
          || (!series.contains("{") && line.startsWith(series + "{"))) {
        sum += Double.parseDouble(line.substring(line.lastIndexOf(' ') + 1));
      }
    }
    return sum;
  }

  /**
   * Configures one failpoint ({@code PUT /debug/v1/failpoints}); throws unless the controller
   * accepted it.
   */
  public void failpoint(String name, String actions) {
    Response set =
        put(
            "/debug/v1/failpoints",
            "[{\"name\":\"%s\",\"actions\":\"%s\"}]".formatted(name, actions));
    if (set.status() != 200) {
      throw new AssertionError(
          "failpoint " + name + " not set: " + set.status() + " " + set.body());
    }
  }

  /** How many shards the controller says are attached to the node (its tenant listing). */
  public long attachedTo(long node) {
    long n = 0;
    for (JsonNode tenant : get("/control/v1/tenant").json()) {
      for (JsonNode shard : tenant.get("shards")) {
        if (shard.path("node_attached").asLong(-1) == node) {
          n++;
        }
      }
    }
    return n;
  }

  public Response send(String method, String path, String body, Map<String, String> headers) {
    return sendBytes(
        method, path, body == null ? null : body.getBytes(StandardCharsets.UTF_8), headers);
  }

  /** As {@link #send}, with a body of raw bytes (which need not be valid UTF-8). */
  public Response sendBytes(String method, String path, byte[] body, Map<String, String> headers) {
    HttpRequest.Builder request =
        HttpRequest.newBuilder(URI.create(baseUrl + path))
            .timeout(Duration.ofSeconds(30))
            .method(
                method,
                body == null
                    ? HttpRequest.BodyPublishers.noBody()
                    : HttpRequest.BodyPublishers.ofByteArray(body));
    headers.forEach(request::header);
    try {
      HttpResponse<String> response =
          http.send(request.build(), HttpResponse.BodyHandlers.ofString());
      return new Response(response.statusCode(), response.body(), response);
    } catch (IOException e) {
      throw new java.io.UncheckedIOException(method + " " + path + " failed", e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted", e);
    }
  }

  /** A response: status, raw body, and the body as JSON on demand. */
  public record Response(int status, String body, HttpResponse<String> raw) {
    public JsonNode json() {
      return JSON.readTree(body);
    }

    public String msg() {
      return json().get("msg").asString();
    }

    public String header(String name) {
      return raw.headers().firstValue(name).orElse(null);
    }
  }
}
