package io.storagecontroller.tools.storcon;

import picocli.CommandLine.Option;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ObjectNode;

/**
 * {@code set-tenant-config} and {@code patch-tenant-config}: Neon's {@code TenantConfigRequest}
 * (the tenant id beside the config's own fields) sent to {@code /v1/tenant/config}, replacing the
 * whole config or changing the fields given.
 */
abstract class TenantConfigCommand extends ApiCommand {
  @Option(names = "--tenant-id", required = true)
  String tenantId;

  @Option(
      names = "--config",
      required = true,
      paramLabel = "JSON",
      converter = TenantConfigJson.class,
      description =
          "Config fields as a JSON object, e.g. '{\"pitr_interval\":\"1m\"}' (with"
              + " patch-tenant-config, null unsets a field).")
  ObjectNode config;

  /** Sends the request; returns the controller's answer. */
  abstract JsonNode send(ObjectNode request);

  /** What was done, for the message: "set" or "patched". */
  abstract String verb();

  @Override
  public Integer call() {
    return done(send(request(tenantId, config)), "config of tenant " + tenantId + " " + verb());
  }

  static ObjectNode request(String tenantId, ObjectNode config) {
    ObjectNode body = ControllerApi.object();
    body.put("tenant_id", tenantId);
    // The flag names the tenant: a tenant_id inside --config does not override it.
    config.properties().stream()
        .filter(field -> !field.getKey().equals("tenant_id"))
        .forEach(field -> body.set(field.getKey(), field.getValue()));
    return body;
  }
}
