package io.storagecontroller.tenant;

import io.storagecontroller.http.ApiError;
import io.storagecontroller.http.NullBody;
import io.storagecontroller.http.RequestName;
import io.storagecontroller.model.TenantId;
import java.time.Duration;
import java.util.List;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PatchMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PutMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RestController;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.JsonNodeFactory;
import tools.jackson.databind.node.ObjectNode;

/**
 * Tenant config: {@code PUT /v1/tenant/config} replaces it, {@code PATCH} changes named fields
 * (null removes one), {@code GET /v1/tenant/:tenant_id/config} reads it. A change reaches the
 * pageservers without a new generation.
 */
@RestController
public class TenantConfigController {
  static final Duration RECONCILE_WAIT = Duration.ofSeconds(5);

  private final TenantService tenants;
  private final ServiceState state;

  public TenantConfigController(TenantService tenants, ServiceState state) {
    this.tenants = tenants;
    this.state = state;
  }

  @PutMapping("/v1/tenant/config")
  @RequestName("v1_tenant_config")
  ResponseEntity<String> put(@RequestBody JsonNode body) {
    ObjectNode request = object(body);
    TenantId tenant = tenantId(request);
    ObjectNode config = JsonNodeFactory.instance.objectNode();
    for (String name : request.propertyNames()) {
      if (name.equals("tenant_id")) {
        continue;
      }
      requireConfigField(name, request.get(name));
      if (!request.get(name).isNull()) {
        config.set(name, request.get(name));
      }
    }
    apply(tenant, config);
    return NullBody.ok();
  }

  @PatchMapping("/v1/tenant/config")
  @RequestName("v1_tenant_config")
  ResponseEntity<String> patch(@RequestBody JsonNode body) {
    ObjectNode request = object(body);
    TenantId tenant = tenantId(request);
    List<TenantShard> shards = tenants.requireTenant(tenant);
    ObjectNode config = state.read(() -> shards.get(0).config().deepCopy());
    for (String name : request.propertyNames()) {
      if (name.equals("tenant_id")) {
        continue;
      }
      requireConfigField(name, request.get(name));
      if (request.get(name).isNull()) {
        config.remove(name);
      } else {
        config.set(name, request.get(name));
      }
    }
    apply(tenant, config);
    return NullBody.ok();
  }

  @GetMapping("/v1/tenant/{tenant_id}/config")
  @RequestName("v1_tenant_config")
  ObjectNode get(@PathVariable("tenant_id") TenantId tenant) {
    List<TenantShard> shards = tenants.requireTenant(tenant);
    ObjectNode config = state.read(() -> shards.get(0).config().deepCopy());
    ObjectNode out = JsonNodeFactory.instance.objectNode();
    out.set("tenant_specific_overrides", config);
    out.set("effective_config", config.deepCopy());
    return out;
  }

  private void apply(TenantId tenant, ObjectNode config) {
    tenants.setConfig(tenant, config);
    tenants.awaitReconciled(tenant, RECONCILE_WAIT);
  }

  private static ObjectNode object(JsonNode body) {
    if (!(body instanceof ObjectNode request)) {
      throw ApiError.badRequest("Failed to parse json request: expected an object");
    }
    return request;
  }

  private static TenantId tenantId(ObjectNode request) {
    JsonNode id = request.get("tenant_id");
    if (id == null || !id.isString()) {
      throw ApiError.badRequest("missing field `tenant_id`");
    }
    return TenantId.parse(id.asString());
  }

  private static void requireConfigField(String name, JsonNode value) {
    if (!TenantConfigFields.NAMES.contains(name)) {
      throw ApiError.badRequest("unknown field `" + name + "`");
    }
    if (!value.isNull()) {
      TenantConfigFields.requireValid(name, value);
    }
  }
}
