package io.storagecontroller.http.tenant;

import io.storagecontroller.compute.ComputeNotifications;
import io.storagecontroller.http.NullBody;
import io.storagecontroller.http.RequestName;
import io.storagecontroller.model.PlacementPolicy;
import io.storagecontroller.model.Refusal;
import io.storagecontroller.model.ShardSchedulingPolicy;
import io.storagecontroller.model.TenantId;
import io.storagecontroller.shard.ShardStore;
import io.storagecontroller.shard.ShardView;
import io.storagecontroller.tenant.TenantCreateRequest;
import io.storagecontroller.tenant.TenantImport;
import io.storagecontroller.tenant.TenantService;
import java.util.List;
import org.springframework.http.HttpStatus;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.DeleteMapping;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.PutMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ArrayNode;
import tools.jackson.databind.node.JsonNodeFactory;
import tools.jackson.databind.node.ObjectNode;

/** Tenant lifecycle routes: {@code POST/DELETE /v1/tenant}, describe, list, policy and import. */
@RestController
public class TenantController {
  private static final int MAX_PAGE = 10_000;

  private final TenantService tenants;
  private final ShardStore store;
  private final ComputeNotifications notifications;
  private final TenantImport imports;

  public TenantController(
      TenantService tenants,
      ShardStore store,
      ComputeNotifications notifications,
      TenantImport imports) {
    this.tenants = tenants;
    this.store = store;
    this.notifications = notifications;
    this.imports = imports;
  }

  @PostMapping("/v1/tenant")
  @RequestName("v1_tenant")
  ResponseEntity<ObjectNode> create(@RequestBody JsonNode body) {
    if (!(body instanceof ObjectNode object)) {
      throw Refusal.badRequest("Failed to parse json request: expected an object");
    }
    List<ShardView> shards = tenants.create(TenantCreateRequest.parse(object));
    return ResponseEntity.status(HttpStatus.CREATED).body(createResponse(shards));
  }

  /** Neon's debug import: the tenant rebuilt from remote storage, answered as a create is. */
  @PostMapping("/debug/v1/tenant/{tenant_id}/import")
  @RequestName("debug_v1_tenant_import")
  ObjectNode importTenant(@PathVariable("tenant_id") TenantId tenant) {
    return createResponse(imports.importTenant(tenant));
  }

  /** Neon's TenantCreateResponse: each shard, where it is attached and in which generation. */
  private static ObjectNode createResponse(List<ShardView> shards) {
    ObjectNode response = JsonNodeFactory.instance.objectNode();
    ArrayNode list = response.putArray("shards");
    for (ShardView shard : shards) {
      ObjectNode s = list.addObject().put("shard_id", shard.id().toString());
      if (shard.attached() != null) {
        s.put("node_id", shard.attached().value());
      } else {
        s.putNull("node_id");
      }
      if (shard.generation() != null) {
        s.put("generation", shard.generation().value());
      } else {
        s.putNull("generation");
      }
    }
    return response;
  }

  @DeleteMapping("/v1/tenant/{tenant_id}")
  @RequestName("v1_tenant")
  ResponseEntity<String> delete(@PathVariable("tenant_id") TenantId tenant) {
    tenants.requireTenant(tenant);
    tenants.delete(tenant);
    return NullBody.ok();
  }

  @GetMapping("/control/v1/tenant/{tenant_id}")
  @RequestName("control_v1_tenant_describe")
  ObjectNode describe(@PathVariable("tenant_id") TenantId tenant) {
    return TenantDescription.of(
        tenant, tenants.requireTenant(tenant), notifications.isPending(tenant), store::writing);
  }

  @GetMapping("/control/v1/tenant")
  @RequestName("control_v1_tenant_list")
  ArrayNode list(
      @RequestParam(name = "limit", required = false) Integer limit,
      @RequestParam(name = "start_after", required = false) TenantId startAfter) {
    if (limit != null && limit <= 0) {
      throw Refusal.badRequest("limit must be positive, got " + limit);
    }
    int pageSize = limit == null ? MAX_PAGE : Math.min(limit, MAX_PAGE);
    ArrayNode out = JsonNodeFactory.instance.arrayNode();
    for (TenantId tenant : store.tenantIds(startAfter, pageSize)) {
      List<ShardView> shards = store.tenant(tenant);
      if (!shards.isEmpty()) {
        out.add(
            TenantDescription.of(tenant, shards, notifications.isPending(tenant), store::writing));
      }
    }
    return out;
  }

  @PutMapping("/control/v1/tenant/{tenant_id}/policy")
  @RequestName("control_v1_tenant_policy")
  ResponseEntity<String> policy(
      @PathVariable("tenant_id") TenantId tenant, @RequestBody TenantPolicyRequest request) {
    tenants.requireTenant(tenant);
    tenants.setPolicy(tenant, request.placement(), request.scheduling());
    return NullBody.ok();
  }

  /** {@code {"placement": PlacementPolicy|null, "scheduling": ShardSchedulingPolicy|null}}. */
  public record TenantPolicyRequest(PlacementPolicy placement, ShardSchedulingPolicy scheduling) {}
}
