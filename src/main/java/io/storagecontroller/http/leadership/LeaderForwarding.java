package io.storagecontroller.http.leadership;

import io.storagecontroller.config.ControllerProperties;
import io.storagecontroller.leadership.Leadership;
import io.storagecontroller.leadership.LeadershipStatus;
import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Collections;
import java.util.Optional;
import java.util.Set;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.core.annotation.Order;
import org.springframework.stereotype.Component;
import org.springframework.web.filter.OncePerRequestFilter;

/**
 * A stepped-down controller forwards every request (after its auth check, as Neon's handlers do) to
 * the leader recorded in the database: same method, path and query, headers and body (contract
 * section 1.6). The probes, this process's failpoints and {@code step_down} itself are answered
 * here.
 */
@Component
@Order(0)
public class LeaderForwarding extends OncePerRequestFilter {
  private static final Logger log = LoggerFactory.getLogger(LeaderForwarding.class);

  /** Neon's RECONCILE_TIMEOUT + 10 s. */
  static final Duration TIMEOUT = Duration.ofSeconds(40);

  private static final Set<String> ANSWERED_HERE =
      Set.of(
          "/control/v1/step_down",
          // Failpoints belong to this process (Neon's handler never forwards them).
          "/debug/v1/failpoints",
          "/status",
          "/live",
          "/ready",
          "/metrics",
          "/profile/cpu",
          "/profile/heap");

  /** Headers the HTTP client sets itself, or that belong to one hop. */
  private static final Set<String> HOP_HEADERS =
      Set.of(
          "connection",
          "content-length",
          "expect",
          "host",
          "upgrade",
          "transfer-encoding",
          "keep-alive",
          "te",
          "trailer",
          "http2-settings");

  private final Leadership leadership;
  private final String self;
  private final HttpClient client =
      HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

  public LeaderForwarding(Leadership leadership, ControllerProperties properties) {
    this.leadership = leadership;
    this.self = properties.addressForPeers();
  }

  @Override
  protected boolean shouldNotFilter(HttpServletRequest request) {
    return leadership.status() != LeadershipStatus.STEPPED_DOWN
        || ANSWERED_HERE.contains(request.getRequestURI());
  }

  @Override
  protected void doFilterInternal(
      HttpServletRequest request, HttpServletResponse response, FilterChain chain)
      throws ServletException, IOException {
    Optional<Leadership.Leader> leader = leadership.leader();
    if (leader.isEmpty()) {
      unavailable(response, "No leader to forward to while in stepped down state");
      return;
    }
    String address = leader.get().address();
    if (address.equals(self)) {
      unavailable(response, "Leader is stepped down instance");
      return;
    }
    String query = request.getQueryString();
    URI uri =
        URI.create(
            address.replaceAll("/+$", "")
                + request.getRequestURI()
                + (query == null ? "" : "?" + query));
    HttpRequest.Builder forwarded =
        HttpRequest.newBuilder(uri)
            .timeout(TIMEOUT)
            .method(
                request.getMethod(),
                HttpRequest.BodyPublishers.ofByteArray(request.getInputStream().readAllBytes()));
    for (String name : Collections.list(request.getHeaderNames())) {
      if (!HOP_HEADERS.contains(name.toLowerCase())) {
        for (String value : Collections.list(request.getHeaders(name))) {
          forwarded.header(name, value);
        }
      }
    }
    HttpResponse<byte[]> answer;
    try {
      answer = client.send(forwarded.build(), HttpResponse.BodyHandlers.ofByteArray());
    } catch (IOException e) {
      log.warn(
          "forwarding {} {} to the leader at {} failed: {}",
          request.getMethod(),
          uri,
          address,
          e.toString());
      unavailable(
          response, "Failed to forward to the leader at " + address + ": " + e.getMessage());
      return;
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      unavailable(response, "Interrupted while forwarding to the leader");
      return;
    }
    response.setStatus(answer.statusCode());
    answer
        .headers()
        .map()
        .forEach(
            (name, values) -> {
              if (!HOP_HEADERS.contains(name.toLowerCase()) && !name.startsWith(":")) {
                values.forEach(v -> response.addHeader(name, v));
              }
            });
    response.getOutputStream().write(answer.body());
  }

  /** 503 with Neon's {@code {"msg": ...}} body. */
  static void unavailable(HttpServletResponse response, String msg) throws IOException {
    response.setStatus(HttpServletResponse.SC_SERVICE_UNAVAILABLE);
    response.setContentType("application/json");
    String escaped = msg.replace("\\", "\\\\").replace("\"", "\\\"");
    response
        .getOutputStream()
        .write(("{\"msg\":\"" + escaped + "\"}").getBytes(StandardCharsets.UTF_8));
  }
}
