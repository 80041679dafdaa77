package io.storagecontroller.http.tenant;

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

  public PassthroughController(AttachedShards attached, PageserverClients clients) {
    this.attached = attached;
    this.clients = clients;
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
    PageserverClient.RawReply reply;
    try {
      reply = client.passthroughGet(pathAndQuery);
    } catch (PageserverException e) {
      throw Refusal.unavailable(e.getMessage());
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
