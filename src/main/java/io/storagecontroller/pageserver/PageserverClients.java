package io.storagecontroller.pageserver;

import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import io.storagecontroller.config.ControllerProperties;
import io.storagecontroller.model.NodeId;
import io.storagecontroller.node.Node;
import io.storagecontroller.node.NodeService;
import io.storagecontroller.tls.OutboundTls;
import jakarta.annotation.PreDestroy;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import org.springframework.stereotype.Component;

/**
 * A client per registered pageserver, sharing one set of connections (with the outgoing TLS of
 * {@code --ssl-ca-file}, a pool per node) and one set of metrics.
 */
@Component
public class PageserverClients {
  private final NodeService nodes;
  private final String token;

  /** How long a candidate's warm-up waits for the nodes' answers. */
  static final Duration WARM_UP_WAIT = Duration.ofSeconds(1);

  private final PageserverHttp http;
  private final boolean https;
  private final PageserverRequestMetrics metrics;
  private final Map<NodeId, PageserverClient> clients = new ConcurrentHashMap<>();

  public PageserverClients(
      NodeService nodes,
      ControllerProperties properties,
      OutboundTls tls,
      PrometheusMeterRegistry prometheus) {
    this.nodes = nodes;
    this.https = properties.useHttpsPageserverApi();
    this.http = new PageserverHttp(tls.context());
    this.token = properties.jwtToken();
    this.metrics = PageserverRequestMetrics.register(prometheus.getPrometheusRegistry());
  }

  /**
   * The client of a registered node, over HTTPS with {@code --use-https-pageserver-api}; a
   * re-registration with another https port gets a new client.
   */
  public PageserverClient client(NodeId id) {
    return client(nodes.get(id));
  }

  /**
   * A candidate's warm-up before it takes over: one utilization call to each node it read ahead, in
   * parallel, failures ignored, so that the start-up's first calls after the step-down find the
   * HTTP clients loaded and their connections open. Read-only: nothing a leader would mind.
   */
  public void warmUp(List<Node> ahead) {
    if (ahead.isEmpty()) {
      return;
    }
    ExecutorService calls = Executors.newFixedThreadPool(Math.min(ahead.size(), 16));
    try {
      CompletableFuture.allOf(
              ahead.stream()
                  .map(node -> CompletableFuture.runAsync(() -> client(node).utilization(), calls))
                  .map(call -> call.exceptionally(unreachable -> null))
                  .toArray(CompletableFuture[]::new))
          // A node that does not answer must not hold up the takeover.
          .completeOnTimeout(null, WARM_UP_WAIT.toMillis(), TimeUnit.MILLISECONDS)
          .join();
    } finally {
      calls.shutdown();
    }
  }

  private PageserverClient client(Node node) {
    NodeId id = node.id();
    String url =
        https
            ? node.address()
                .httpsBaseUrl()
                .orElseThrow(
                    () ->
                        PageserverException.status(
                            id,
                            "connect",
                            412,
                            "Node "
                                + id
                                + " has no https port, but --use-https-pageserver-api is on;"
                                + " register it again with its listen_https_port"))
            : node.address().httpBaseUrl();
    return clients.compute(
        id,
        (k, existing) ->
            existing != null && existing.baseUrl().equals(url)
                ? existing
                : new PageserverClient(id, url, token, http, metrics));
  }

  /** The connections close with the application context. */
  @PreDestroy
  public void close() {
    http.close();
  }
}
