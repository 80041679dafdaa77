package io.storagecontroller.tools.storcon;

import java.io.IOException;
import java.net.ConnectException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import javax.net.ssl.SSLContext;
import tools.jackson.core.JacksonException;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.node.NullNode;
import tools.jackson.databind.node.ObjectNode;

/**
 * The controller's HTTP API as the CLI calls it: JSON both ways, the operator's bearer token on
 * every request, and a refusal turned into an {@link ApiFailure} carrying the server's {@code msg}.
 */
public final class ControllerApi {
  static final JsonMapper JSON = JsonMapper.builder().build();

  private final URI base;
  private final String token;
  private final HttpClient http;

  public ControllerApi(URI base, String token) {
    this(base, token, null);
  }

  /**
   * With {@code tls} (null: the JDK's default), the roots an {@code https://} API is trusted by:
   * storcon's {@code --ssl-ca-file} adds its own beside the JDK's, as Neon's adds them to
   * reqwest's.
   */
  public ControllerApi(URI base, String token, SSLContext tls) {
    String text = base.toString();
    this.base = URI.create(text.endsWith("/") ? text.substring(0, text.length() - 1) : text);
    this.token = token == null || token.isBlank() ? null : token.strip();
    HttpClient.Builder http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5));
    if (tls != null) {
      http.sslContext(tls);
    }
    this.http = http.build();
  }

  public URI base() {
    return base;
  }

  public static ObjectNode object() {
    return JSON.createObjectNode();
  }

  public JsonNode get(String path) {
    return send("GET", path, null);
  }

  public JsonNode put(String path, JsonNode body) {
    return send("PUT", path, body);
  }

  public JsonNode post(String path, JsonNode body) {
    return send("POST", path, body);
  }

  public JsonNode patch(String path, JsonNode body) {
    return send("PATCH", path, body);
  }

  public JsonNode delete(String path) {
    return send("DELETE", path, null);
  }

  public JsonNode send(String method, String path, JsonNode body) {
    try {
      return sendAsync(method, path, body).join();
    } catch (CompletionException e) {
      throw e.getCause() instanceof RuntimeException r ? r : e;
    }
  }

  /**
   * Sends without waiting, for calls that last while the CLI shows progress (a shard split answers
   * only when it is done).
   */
  public CompletableFuture<JsonNode> sendAsync(String method, String path, JsonNode body) {
    HttpRequest.Builder request =
        HttpRequest.newBuilder(URI.create(base + path))
            .method(
                method,
                body == null
                    ? HttpRequest.BodyPublishers.noBody()
                    : HttpRequest.BodyPublishers.ofString(JSON.writeValueAsString(body)));
    if (body != null) {
      request.header("Content-Type", "application/json");
    }
    if (token != null) {
      request.header("Authorization", "Bearer " + token);
    }
    String what = method + " " + path;
    return http.sendAsync(request.build(), HttpResponse.BodyHandlers.ofString())
        .handle(
            (response, error) -> {
              if (error != null) {
                throw unreachable(what, error);
              }
              return answer(what, response);
            });
  }

  private ApiFailure unreachable(String what, Throwable error) {
    Throwable cause = error instanceof CompletionException ? error.getCause() : error;
    String why =
        cause instanceof ConnectException
            ? "connection refused"
            : cause instanceof IOException ? String.valueOf(cause.getMessage()) : cause.toString();
    return new ApiFailure(
        "cannot reach the controller at " + base + " (" + why + ") for " + what, cause);
  }

  private static JsonNode answer(String what, HttpResponse<String> response) {
    String text = response.body() == null ? "" : response.body().strip();
    JsonNode json;
    try {
      json = text.isEmpty() ? NullNode.getInstance() : JSON.readTree(text);
    } catch (JacksonException notJson) {
      json = null;
    }
    int status = response.statusCode();
    if (status >= 200 && status < 300) {
      if (json == null) {
        throw new ApiFailure(
            status, what + " answered " + status + " with a body that is not JSON");
      }
      return json;
    }
    String msg =
        json != null && json.path("msg").isString()
            ? json.get("msg").asString()
            : text.isEmpty() ? "(no message)" : text;
    throw new ApiFailure(status, msg + " (HTTP " + status + " from " + what + ")");
  }
}
