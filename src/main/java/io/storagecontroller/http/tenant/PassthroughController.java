package io.storagecontroller.http.tenant;

import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import io.prometheus.metrics.core.metrics.Counter;
import io.prometheus.metrics.core.metrics.Histogram;
import io.prometheus.metrics.model.registry.PrometheusRegistry;
import io.storagecontroller.http.RequestName;
import io.storagecontroller.model.Refusal;
import io.storagecontroller.model.TenantShardId;
import io.storagecontroller.pageserver.PageserverClient;
import io.storagecontroller.pageserver.PageserverClients;
import io.storagecontroller.pageserver.PageserverException;
import io.storagecontroller.tenant.AttachedShards;
import jakarta.servlet.http.HttpServletRequest;
import java.util.List;
import org.springframework.http.MediaType;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.RestController;

/**
 * Read-only pageserver routes under a tenant, relayed to the node that holds shard 0's current
 * generation (or the named shard's), with the tenant id in the path rewritten to that shard's id. A
 * pageserver that does not know the tenant mid-migration answers 503, so callers retry (Neon's
 * #12620).
 */
@RestController
public class PassthroughController {
  private final AttachedShards attached;
  private final PageserverClients clients;
  private final Histogram latency;
  private final Counter errors;

  public PassthroughController(
      AttachedShards attached, PageserverClients clients, PrometheusMeterRegistry prometheus) {
    this.attached = attached;
    this.clients = clients;
    PrometheusRegistry registry = prometheus.getPrometheusRegistry();
    this.latency =
        Histogram.builder()
            .name("storage_controller_passthrough_request_latency")
            .help("Relayed pageserver GETs, by pageserver and path without ids (s)")
            .labelNames("pageserver_id", "path", "method")
            .classicOnly()
            .classicUpperBounds(0.1, 0.2, 0.4, 0.8, 1.6)
            .withoutExemplars()
            .register(registry);
    this.errors =
        Counter.builder()
            .name("storage_controller_passthrough_request_error")
            .help("Relayed pageserver GETs answered with a non-2xx status, by pageserver and path")
            .labelNames("pageserver_id", "path", "method")
            .withoutExemplars()
            .register(registry);
  }

  /**
   * Neon's {@code path} label: the path's segments without ids, joined with {@code _} ({@code
   * /v1/tenant/<id>/timeline/<id>} is {@code v1_tenant_timeline}). Only lower-case word segments
   * are kept, so a label never carries an id, an LSN or anything else a caller made up.
   */
  static String metricPath(String uri) {
    StringBuilder path = new StringBuilder();
    for (String segment : uri.split("/")) {
      if (segment.length() < 32 && segment.matches("[a-z_]+|v[0-9]+")) {
        if (!path.isEmpty()) {
          path.append('_');
        }
        path.append(segment);
      }
    }
    return path.toString();
  }

  @GetMapping({"/v1/tenant/{tenant_id}", "/v1/tenant/{tenant_id}/**"})
  @RequestName("v1_tenant_passthrough")
  ResponseEntity<String> relay(
      @PathVariable("tenant_id") TenantShardId id, HttpServletRequest request) {
    List<AttachedShards.Location> shards = attached.of(id.tenantId());
    AttachedShards.Location target =
        id.isUnsharded()
            ? shards.get(0)
            : shards.stream()
                .filter(s -> s.shard().equals(id))
                .findFirst()
                .orElseThrow(() -> Refusal.notFound("Tenant shard " + id + " not found"));
    String tenant = id.tenantId().toString();
    String query = request.getQueryString() == null ? "" : "?" + request.getQueryString();
    // Every occurrence of the bare tenant id becomes the target shard's id (a no-op when
    // unsharded).
    String pathAndQuery =
        (request.getRequestURI() + query)
            .replace(id.toString(), tenant)
            .replace(tenant, target.shard().toString());
    PageserverClient client = clients.client(target.node());
    String[] labels = {
      Long.toString(target.node().value()), metricPath(request.getRequestURI()), "get"
    };
    PageserverClient.RawReply reply;
    long started = System.nanoTime();
    try {
      reply = client.passthroughGet(pathAndQuery);
    } catch (PageserverException e) {
      // Not an error of the pageserver's (Neon counts none here): it never answered, and the
      // caller gets 503.
      throw Refusal.unavailable(e.getMessage());
    } finally {
      latency.labelValues(labels).observe((System.nanoTime() - started) / 1e9);
    }
    if (reply.status() < 200 || reply.status() > 299) {
      // As Neon: every answer but a success counts, the tenant-not-found 404 below included.
      errors.labelValues(labels).inc();
    }
    if (reply.status() == 404 && reply.body() != null && reply.body().contains(tenant)) {
      throw Refusal.unavailable(
          "pageserver " + target.node() + " does not have tenant " + tenant + " (moving?); retry");
    }
    return ResponseEntity.status(reply.status())
        .contentType(MediaType.parseMediaType(reply.contentType()))
        .body(reply.body());
  }
}
