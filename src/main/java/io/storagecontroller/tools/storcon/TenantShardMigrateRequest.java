package io.storagecontroller.tools.storcon;

import tools.jackson.databind.node.ObjectNode;

/**
 * Neon's {@code TenantShardMigrateRequest}, the body of {@code migrate} and {@code
 * migrate_secondary}: the destination, optionally the node the shard must be attached to now, and
 * the {@code migration_config} flags.
 */
record TenantShardMigrateRequest(
    long nodeId, Long originNodeId, boolean prewarm, boolean overrideScheduler) {

  /** With Neon's {@code MigrationConfig::default()}: prewarm, and the scheduler has its say. */
  static TenantShardMigrateRequest withDefaults(long nodeId, Long originNodeId) {
    return new TenantShardMigrateRequest(nodeId, originNodeId, true, false);
  }

  ObjectNode toJson() {
    ObjectNode body = ControllerApi.object();
    body.put("node_id", nodeId);
    body.put("origin_node_id", originNodeId);
    ObjectNode config = body.putObject("migration_config");
    config.put("override_scheduler", overrideScheduler);
    config.put("prewarm", prewarm);
    return body;
  }
}
