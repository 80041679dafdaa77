package io.storagecontroller.pageserver;

import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import io.storagecontroller.config.ControllerProperties;
import io.storagecontroller.model.NodeId;
import io.storagecontroller.node.Node;
import io.storagecontroller.node.NodeService;
import io.storagecontroller.tls.OutboundTls;
import java.net.http.HttpClient;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import org.springframework.stereotype.Component;

/**
 * A client per registered pageserver, sharing a few HTTP clients (with the outgoing TLS of {@code
 * --ssl-ca-file}) and one set of metrics. A node's requests always go through the same HTTP client,
 * so its connections are reused; nodes are spread over {@link #HTTP_CLIENTS} clients because each
 * has one connection pool behind one lock, which hundreds of request threads queued on (the
 * benchmark's profile).
 */
@Component
public class PageserverClients {
  private final NodeService nodes;
  private final String token;
  static final int HTTP_CLIENTS = 8;

  private final HttpClient[] http = new HttpClient[HTTP_CLIENTS];
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
    for (int i = 0; i < HTTP_CLIENTS; i++) {
      http[i] =
          tls.httpClient()
              .connectTimeout(Duration.ofSeconds(5))
              .version(HttpClient.Version.HTTP_1_1)
              .build();
    }
    this.token = properties.jwtToken();
    this.metrics = PageserverRequestMetrics.register(prometheus.getPrometheusRegistry());
  }

  /**
   * The client of a registered node, over HTTPS with {@code --use-https-pageserver-api}; a
   * re-registration with another https port gets a new client.
   */
  public PageserverClient client(NodeId id) {
    Node node = nodes.get(id);
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
                : new PageserverClient(
                    id, url, token, http[Math.floorMod(id.value(), HTTP_CLIENTS)], metrics));
  }
}
