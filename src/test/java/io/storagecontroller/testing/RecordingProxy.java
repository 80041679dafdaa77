package io.storagecontroller.testing;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * Sits between the client and a simulated pageserver and records each exchange as sent on the wire,
 * so both sides can be checked against the published contract.
 */
public final class RecordingProxy implements AutoCloseable {
  /** One request and its answer, exactly as they crossed the proxy. */
  public record Exchange(
      String method,
      String path,
      String query,
      String requestContentType,
      String requestBody,
      int status,
      String responseContentType,
      String responseBody) {}

  private static final Set<String> RESTRICTED =
      Set.of("connection", "content-length", "host", "upgrade", "expect");

  private final HttpServer server;
  private final URI target;
  private final HttpClient http = HttpClient.newHttpClient();
  private final List<Exchange> exchanges = new CopyOnWriteArrayList<>();

  public RecordingProxy(URI target) {
    this.target = target;
    try {
      server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    server.createContext("/", this::forward);
    server.start();
  }

  public String url() {
    return "http://127.0.0.1:" + server.getAddress().getPort();
  }

  public List<Exchange> exchanges() {
    return List.copyOf(exchanges);
  }

  private void forward(HttpExchange exchange) throws IOException {
    try (exchange) {
      byte[] body = exchange.getRequestBody().readAllBytes();
      URI uri = exchange.getRequestURI();
      HttpRequest.Builder request =
          HttpRequest.newBuilder(
                  target.resolve(
                      uri.getRawPath()
                          + (uri.getRawQuery() == null ? "" : "?" + uri.getRawQuery())))
              .method(exchange.getRequestMethod(), HttpRequest.BodyPublishers.ofByteArray(body));
      exchange
          .getRequestHeaders()
          .forEach(
              (name, values) -> {
                if (!RESTRICTED.contains(name.toLowerCase())) {
                  values.forEach(v -> request.header(name, v));
                }
              });
      HttpResponse<byte[]> response;
      try {
        response = http.send(request.build(), HttpResponse.BodyHandlers.ofByteArray());
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new IOException(e);
      }
      String responseType = response.headers().firstValue("Content-Type").orElse(null);
      exchanges.add(
          new Exchange(
              exchange.getRequestMethod(),
              uri.getRawPath(),
              uri.getRawQuery(),
              exchange.getRequestHeaders().getFirst("Content-Type"),
              new String(body, StandardCharsets.UTF_8),
              response.statusCode(),
              responseType,
              new String(response.body(), StandardCharsets.UTF_8)));
      if (responseType != null) {
        exchange.getResponseHeaders().add("Content-Type", responseType);
      }
      exchange.sendResponseHeaders(
          response.statusCode(), response.body().length == 0 ? -1 : response.body().length);
      exchange.getResponseBody().write(response.body());
    }
  }

  @Override
  public void close() {
    server.stop(0);
  }
}
