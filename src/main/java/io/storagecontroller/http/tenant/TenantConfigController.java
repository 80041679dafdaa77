package io.storagecontroller.http.tenant;

import io.storagecontroller.http.NullBody;
import io.storagecontroller.http.RequestName;
import io.storagecontroller.model.Refusal;
import io.storagecontroller.model.TenantId;
import io.storagecontroller.tenant.TenantConfigFields;
import io.storagecontroller.tenant.TenantService;
import java.time.Duration;
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

  public TenantConfigController(TenantService tenants) {
    this.tenants = tenants;
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
    ObjectNode config = tenants.requireTenant(tenant).get(0).config().deepCopy();
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
    ObjectNode config = tenants.requireTenant(tenant).get(0).config().deepCopy();
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
      throw Refusal.badRequest("Failed to parse json request: expected an object");
    }
    return request;
  }

  private static TenantId tenantId(ObjectNode request) {
    JsonNode id = request.get("tenant_id");
    if (id == null || !id.isString()) {
      throw Refusal.badRequest("missing field `tenant_id`");
    }
    return TenantId.parse(id.asString());
  }

  private static void requireConfigField(String name, JsonNode value) {
    if (!TenantConfigFields.NAMES.contains(name)) {
      throw Refusal.badRequest("unknown field `" + name + "`");
    }
    if (!value.isNull()) {
      TenantConfigFields.requireValid(name, value);
    }
  }
}
