package io.storagecontroller.tools.storcon;

import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code storcon tenant-shard-migrate-secondary}: move a shard's secondary location. */
@Command(
    name = "tenant-shard-migrate-secondary",
    mixinStandardHelpOptions = true,
    sortOptions = false,
    description = "Migrate a tenant shard's secondary location to a node.")
final class TenantShardMigrateSecondaryCommand extends ApiCommand {
  @Option(
      names = "--tenant-shard-id",
      required = true,
      description = "The shard, e.g. 1f35...f6fc-0004, or a tenant id when unsharded.")
  String tenantShardId;

  @Option(names = "--node", required = true, description = "The destination node.")
  long node;

  @Override
  public Integer call() {
    return done(
        api()
            .put(
                "/control/v1/tenant/" + tenantShardId + "/migrate_secondary",
                TenantShardMigrateRequest.withDefaults(node, null).toJson()),
        "secondary of " + tenantShardId + " migrated to node " + node);
  }
}
