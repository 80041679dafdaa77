package io.storagecontroller.tools.storcon;

import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import tools.jackson.databind.node.ObjectNode;

/** {@code storcon set-tenant-config}: replace a tenant's pageserver config. */
@Command(
    name = "set-tenant-config",
    mixinStandardHelpOptions = true,
    sortOptions = false,
    description = {
      "Set the pageserver tenant configuration of a tenant (passed through to its pageservers; it"
          + " does not change how the controller behaves). Any previous config is overwritten."
    })
final class SetTenantConfigCommand extends ApiCommand {
  @Option(names = "--tenant-id", required = true)
  String tenantId;

  @Option(
      names = "--config",
      required = true,
      paramLabel = "JSON",
      converter = TenantConfigJson.class,
      description = "The whole config as a JSON object, e.g. '{\"gc_period\":\"1h\"}'.")
  ObjectNode config;

  @Override
  public Integer call() {
    return done(
        api().put("/v1/tenant/config", request(tenantId, config)),
        "config of tenant " + tenantId + " set");
  }

  /** Neon's {@code TenantConfigRequest}: the tenant id beside the config's own fields. */
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
