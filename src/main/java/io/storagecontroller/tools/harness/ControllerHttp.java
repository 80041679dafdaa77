package io.storagecontroller.tools.harness;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/** HTTP to a controller from the benchmark and the chaos soak, timing every call. */
public final class ControllerHttp {
  public static final JsonMapper JSON = JsonMapper.builder().build();

  private final String baseUrl;
  private final HttpClient http =
      HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

  public ControllerHttp(String baseUrl) {
    this.baseUrl = baseUrl;
  }

  public record Reply(int status, String body, long nanos) {
    public JsonNode json() {
      return JSON.readTree(body);
    }
  }

  public Reply send(String method, String path, String body) {
    HttpRequest request =
        HttpRequest.newBuilder(URI.create(baseUrl + path))
            .timeout(Duration.ofSeconds(120))
            .header("Content-Type", "application/json")
            .method(
                method,
                body == null
                    ? HttpRequest.BodyPublishers.noBody()
                    : HttpRequest.BodyPublishers.ofString(body))
            .build();
    long start = System.nanoTime();
    try {
      HttpResponse<String> response = http.send(request, HttpResponse.BodyHandlers.ofString());
      return new Reply(response.statusCode(), response.body(), System.nanoTime() - start);
    } catch (IOException e) {
      throw new UncheckedIOException(method + " " + path + " failed", e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted", e);
    }
  }

  public Reply get(String path) {
    return send("GET", path, null);
  }

  /** A call that must succeed: anything but 2xx stops the benchmark with the server's answer. */
  public Reply ok(String method, String path, String body) {
    Reply reply = send(method, path, body);
    if (reply.status() / 100 != 2) {
      throw new IllegalStateException(
          method + " " + path + " answered " + reply.status() + ": " + reply.body());
    }
    return reply;
  }
}
