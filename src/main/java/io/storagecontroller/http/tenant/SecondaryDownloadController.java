package io.storagecontroller.http.tenant;

import io.storagecontroller.http.RequestName;
import io.storagecontroller.model.NodeId;
import io.storagecontroller.model.Refusal;
import io.storagecontroller.model.TenantId;
import io.storagecontroller.model.TenantShardId;
import io.storagecontroller.pageserver.PageserverClient;
import io.storagecontroller.pageserver.PageserverClients;
import io.storagecontroller.pageserver.PageserverException;
import io.storagecontroller.shard.ShardView;
import io.storagecontroller.tenant.TenantService;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.springframework.http.HttpStatus;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;
import tools.jackson.databind.node.JsonNodeFactory;
import tools.jackson.databind.node.ObjectNode;

/**
 * {@code POST /v1/tenant/:tenant_id/secondary/download}: asks every secondary location of every
 * shard to download its layers and sums their progress; 202 while any is still downloading.
 */
@RestController
public class SecondaryDownloadController {
  private final TenantService tenants;
  private final PageserverClients clients;

  public SecondaryDownloadController(TenantService tenants, PageserverClients clients) {
    this.tenants = tenants;
    this.clients = clients;
  }

  @PostMapping("/v1/tenant/{tenant_id}/secondary/download")
  @RequestName("v1_tenant_secondary_download")
  ResponseEntity<ObjectNode> download(
      @PathVariable("tenant_id") TenantId tenant,
      @RequestParam(name = "wait_ms", required = false) Long waitMs) {
    if (waitMs != null && waitMs < 0) {
      throw Refusal.badRequest("wait_ms must not be negative");
    }
    List<Map.Entry<TenantShardId, NodeId>> secondaries = new ArrayList<>();
    for (ShardView shard : tenants.requireTenant(tenant)) {
      shard.secondaries().forEach(n -> secondaries.add(Map.entry(shard.id(), n)));
    }
    if (secondaries.isEmpty()) {
      throw Refusal.notFound("Tenant " + tenant + " has no secondary locations");
    }
    Duration wait = waitMs == null ? null : Duration.ofMillis(waitMs);
    boolean done = true;
    String latestHeatmap = null;
    long layersDownloaded = 0;
    long layersTotal = 0;
    long bytesDownloaded = 0;
    long bytesTotal = 0;
    for (Map.Entry<TenantShardId, NodeId> location : secondaries) {
      PageserverClient.SecondaryDownload result;
      try {
        result = clients.client(location.getValue()).secondaryDownload(location.getKey(), wait);
      } catch (PageserverException e) {
        throw Refusal.conflict(
            "secondary download of " + location.getKey() + ": " + e.getMessage());
      }
      done &= result.done();
      var p = result.progress();
      layersDownloaded += p.layersDownloaded();
      layersTotal += p.layersTotal();
      bytesDownloaded += p.bytesDownloaded();
      bytesTotal += p.bytesTotal();
      if (p.heatmapMtime() != null
          && (latestHeatmap == null || p.heatmapMtime().compareTo(latestHeatmap) > 0)) {
        latestHeatmap = p.heatmapMtime();
      }
    }
    ObjectNode out = JsonNodeFactory.instance.objectNode();
    if (latestHeatmap == null) {
      out.putNull("heatmap_mtime");
    } else {
      out.put("heatmap_mtime", latestHeatmap);
    }
    out.put("layers_downloaded", layersDownloaded)
        .put("layers_total", layersTotal)
        .put("bytes_downloaded", bytesDownloaded)
        .put("bytes_total", bytesTotal);
    return ResponseEntity.status(done ? HttpStatus.OK : HttpStatus.ACCEPTED).body(out);
  }
}
