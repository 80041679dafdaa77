package io.storagecontroller.http.tenant;

import io.storagecontroller.http.RequestName;
import io.storagecontroller.migration.MigrationParameters;
import io.storagecontroller.model.HumanDuration;
import io.storagecontroller.model.NodeId;
import io.storagecontroller.model.Refusal;
import io.storagecontroller.model.TenantShardId;
import io.storagecontroller.operation.Operation;
import io.storagecontroller.orchestration.LiveMigrations;
import java.time.Duration;
import java.util.Optional;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PutMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RestController;
import tools.jackson.databind.node.JsonNodeFactory;
import tools.jackson.databind.node.ObjectNode;

/**
 * Neon's migrate route. With prewarm (the default) it answers as soon as the intent is moved and
 * the live migration started; its progress is the {@code migrate} operation. Without prewarm it
 * answers once the shard is on its destination, as Neon does (within 30 s; 408 past that).
 */
@RestController
public class MigrationController {
  /** Neon's RECONCILE_TIMEOUT: how long a migration without prewarm is waited for. */
  static final Duration RECONCILE_TIMEOUT = Duration.ofSeconds(30);

  private final LiveMigrations migrations;

  public MigrationController(LiveMigrations migrations) {
    this.migrations = migrations;
  }

  @PutMapping("/control/v1/tenant/{tenant_shard_id}/migrate")
  @RequestName("control_v1_tenant_migrate")
  ObjectNode migrate(
      @PathVariable("tenant_shard_id") TenantShardId shard,
      @RequestBody TenantShardMigrateRequest request) {
    if (request.nodeId() == null) {
      throw Refusal.badRequest("missing field `node_id`");
    }
    MigrationConfig config =
        request.migrationConfig() != null
            ? request.migrationConfig()
            : new MigrationConfig(null, null, null, null);
    boolean prewarm = !Boolean.FALSE.equals(config.prewarm());
    Optional<Operation> migration =
        migrations.migrate(
            shard,
            request.originNodeId(),
            Boolean.TRUE.equals(config.overrideScheduler()),
            new MigrationParameters(
                request.nodeId().value(),
                // Warm by default: a cold destination serves its first reads from remote storage.
                prewarm,
                duration(
                        "secondary_warmup_timeout",
                        config.secondaryWarmupTimeout(),
                        MigrationParameters.DEFAULT_WARMUP)
                    .toMillis(),
                duration(
                        "secondary_download_request_timeout",
                        config.secondaryDownloadRequestTimeout(),
                        MigrationParameters.DEFAULT_WARMUP_REQUEST)
                    .toMillis()));
    if (!prewarm) {
      // As Neon: an immediate migration is answered once the shard is on its destination.
      migrations.awaitMoved(shard, migration, RECONCILE_TIMEOUT);
    }
    return JsonNodeFactory.instance.objectNode();
  }

  /** Neon's {@code migrate_secondary}: the shard's secondary location moves to {@code node_id}. */
  @PutMapping("/control/v1/tenant/{tenant_shard_id}/migrate_secondary")
  @RequestName("control_v1_tenant_migrate_secondary")
  ObjectNode migrateSecondary(
      @PathVariable("tenant_shard_id") TenantShardId shard,
      @RequestBody TenantShardMigrateRequest request) {
    if (request.nodeId() == null) {
      throw Refusal.badRequest("missing field `node_id`");
    }
    boolean override =
        request.migrationConfig() != null
            && Boolean.TRUE.equals(request.migrationConfig().overrideScheduler());
    migrations.migrateSecondary(shard, request.nodeId(), override, RECONCILE_TIMEOUT);
    return JsonNodeFactory.instance.objectNode();
  }

  private static Duration duration(String field, String text, Duration fallback) {
    if (text == null) {
      return fallback;
    }
    try {
      return HumanDuration.parse(text);
    } catch (IllegalArgumentException e) {
      throw Refusal.badRequest("invalid `" + field + "`: " + e.getMessage());
    }
  }

  /** {@code TenantShardMigrateRequest}; the warm-up settings apply with live migration. */
  public record TenantShardMigrateRequest(
      NodeId nodeId, NodeId originNodeId, MigrationConfig migrationConfig) {}

  /** {@code migration_config}. */
  public record MigrationConfig(
      Boolean overrideScheduler,
      Boolean prewarm,
      String secondaryWarmupTimeout,
      String secondaryDownloadRequestTimeout) {}
}
