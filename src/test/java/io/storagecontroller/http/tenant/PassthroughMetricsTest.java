package io.storagecontroller.http.tenant;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.mockito.Mockito.mock;
import static org.mockito.Mockito.when;

import com.sun.net.httpserver.HttpServer;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import io.storagecontroller.model.Generation;
import io.storagecontroller.model.NodeId;
import io.storagecontroller.model.Refusal;
import io.storagecontroller.model.TenantId;
import io.storagecontroller.model.TenantShardId;
import io.storagecontroller.pageserver.PageserverClient;
import io.storagecontroller.pageserver.PageserverClients;
import io.storagecontroller.pageserver.PageserverHttp;
import io.storagecontroller.pageserver.PageserverRequestMetrics;
import io.storagecontroller.tenant.AttachedShards;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.mock.web.MockHttpServletRequest;

/**
 * Neon's pass-through metrics: the error counter counts the pageserver's non-2xx answers, not the
 * calls that got no answer (those become 503 uncounted), and the latency has Neon's buckets.
 */
class PassthroughMetricsTest {
  private static final NodeId NODE = NodeId.of(3);
  private static final String LABELS =
      "{method=\"get\",pageserver_id=\"3\",path=\"v1_tenant_timeline\"}";

  private final TenantId tenant = TenantId.generate();
  private final PrometheusMeterRegistry registry =
      new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
  private final PageserverClients clients = mock(PageserverClients.class);
  private final AtomicInteger status = new AtomicInteger(200);
  private final AtomicReference<String> body = new AtomicReference<>("[]");
  private HttpServer pageserver;
  private PassthroughController controller;

  /** A pageserver that answers every GET with {@link #status} and {@link #body}. */
  @BeforeEach
  void pageserverHoldingTheTenant() throws IOException {
    pageserver = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
    pageserver.createContext(
        "/",
        exchange -> {
          byte[] answer = body.get().getBytes(StandardCharsets.UTF_8);
          exchange.getResponseHeaders().add("Content-Type", "application/json");
          exchange.sendResponseHeaders(status.get(), answer.length);
          exchange.getResponseBody().write(answer);
          exchange.close();
        });
    pageserver.start();
    pointAt("http://127.0.0.1:" + pageserver.getAddress().getPort());
    AttachedShards attached = mock(AttachedShards.class);
    TenantShardId shard = TenantShardId.unsharded(tenant);
    when(attached.of(tenant))
        .thenReturn(List.of(new AttachedShards.Location(shard, NODE, Generation.of(1), List.of())));
    controller = new PassthroughController(attached, clients, registry);
  }

  @AfterEach
  void stop() {
    pageserver.stop(0);
  }

  private void pointAt(String baseUrl) {
    when(clients.client(NODE))
        .thenReturn(
            new PageserverClient(
                NODE,
                baseUrl,
                null,
                PageserverHttp.withDefaultTls(),
                PageserverRequestMetrics.unregistered()));
  }

  private int relay() {
    String uri = "/v1/tenant/" + tenant + "/timeline";
    return controller
        .relay(TenantShardId.unsharded(tenant), new MockHttpServletRequest("GET", uri))
        .getStatusCode()
        .value();
  }

  private void answers(int code, String json) {
    status.set(code);
    body.set(json);
  }

  @Test
  void nonSuccessAnswersAreCountedAndUnansweredCallsAreNot() throws IOException {
    answers(200, "[]");
    assertThat(relay()).isEqualTo(200);
    assertThat(registry.scrape())
        .doesNotContain("storage_controller_passthrough_request_error_total" + LABELS);

    answers(500, "{\"msg\":\"boom\"}");
    assertThat(relay()).isEqualTo(500);
    answers(404, "{\"msg\":\"timeline not found\"}");
    assertThat(relay()).isEqualTo(404);
    assertThat(registry.scrape())
        .contains("storage_controller_passthrough_request_error_total" + LABELS + " 2.0");

    // Nothing listens there: the call gets no answer at all.
    int closed;
    try (ServerSocket socket = new ServerSocket(0)) {
      closed = socket.getLocalPort();
    }
    pointAt("http://127.0.0.1:" + closed);
    assertThatThrownBy(this::relay)
        .isInstanceOfSatisfying(
            Refusal.class, r -> assertThat(r.kind()).isEqualTo(Refusal.Kind.UNAVAILABLE));
    String scraped = registry.scrape();
    assertThat(scraped)
        .contains("storage_controller_passthrough_request_error_total" + LABELS + " 2.0")
        // Every relay is timed, the unanswered one too.
        .contains("storage_controller_passthrough_request_latency_count" + LABELS + " 4");
  }

  @Test
  void latencyHasNeonsBuckets() {
    answers(200, "[]");
    relay();
    String scraped = registry.scrape();
    String bucket = "storage_controller_passthrough_request_latency_bucket{method=\"get\",";
    for (String le : List.of("0.1", "0.2", "0.4", "0.8", "1.6", "+Inf")) {
      assertThat(scraped)
          .contains(bucket + "pageserver_id=\"3\",path=\"v1_tenant_timeline\",le=\"" + le + "\"}");
    }
    assertThat(scraped).doesNotContain("le=\"0.01\"").doesNotContain("le=\"30.0\"");
  }
}
