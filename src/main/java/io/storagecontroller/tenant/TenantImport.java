package io.storagecontroller.tenant;

import io.storagecontroller.model.Generation;
import io.storagecontroller.model.NodeId;
import io.storagecontroller.model.PlacementPolicy;
import io.storagecontroller.model.Refusal;
import io.storagecontroller.model.ShardCount;
import io.storagecontroller.model.ShardStripeSize;
import io.storagecontroller.model.TenantId;
import io.storagecontroller.model.TenantShardId;
import io.storagecontroller.node.NodeService;
import io.storagecontroller.pageserver.PageserverClients;
import io.storagecontroller.pageserver.PageserverException;
import io.storagecontroller.pageserver.RelayedError;
import io.storagecontroller.pageserver.RemoteStorageScan;
import io.storagecontroller.shard.ShardView;
import java.time.Duration;
import java.util.Comparator;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.stereotype.Service;
import tools.jackson.databind.node.JsonNodeFactory;

/**
 * Neon's debug import ({@code POST /debug/v1/tenant/:tenant_id/import}): rebuilds a tenant the
 * controller does not know (lost from its database, or never created through it) from what a
 * pageserver finds in remote storage. The highest shard count found wins (a split leaves its
 * parents behind); the tenant is created above the highest generation found, with the stripe size
 * recorded with it, attached with no secondaries, as Neon does for support work.
 */
@Service
public class TenantImport {
  private static final Logger log = LoggerFactory.getLogger(TenantImport.class);

  /** Neon's SHORT_RECONCILE_TIMEOUT: an import that has not attached yet still answers. */
  static final Duration WAIT = Duration.ofSeconds(5);

  private final TenantService tenants;
  private final NodeService nodes;
  private final PageserverClients clients;

  public TenantImport(TenantService tenants, NodeService nodes, PageserverClients clients) {
    this.tenants = tenants;
    this.nodes = nodes;
    this.clients = clients;
  }

  public List<ShardView> importTenant(TenantId tenant) {
    NodeId scanner =
        nodes.availableNodes().stream()
            .min(Comparator.naturalOrder())
            .orElseThrow(() -> Refusal.badRequest("No nodes available"));
    RemoteStorageScan scan;
    try {
      scan = clients.client(scanner).scanRemoteStorage(tenant);
    } catch (PageserverException e) {
      throw RelayedError.of(e);
    }
    ShardCount count =
        scan.shards().stream()
            .map(s -> s.tenantShardId().shardCount())
            .max(Comparator.naturalOrder())
            .orElseThrow(() -> Refusal.notFound("No shards found"));
    long generation =
        scan.shards().stream().mapToLong(RemoteStorageScan.Shard::generation).max().orElseThrow();
    ShardStripeSize stripe =
        scan.shards().stream()
            .filter(s -> s.tenantShardId().shardCount().equals(count))
            .filter(s -> s.generation() == generation)
            .findFirst()
            .map(RemoteStorageScan.Shard::stripeSize)
            .map(ShardStripeSize::of)
            // Manifests did not always record it: Neon's original default then.
            .orElse(ShardStripeSize.LEGACY_DEFAULT);
    log.info(
        "importing tenant {} from remote storage (scanned by node {}): {} shards, generation {},"
            + " stripe size {}",
        tenant,
        scanner,
        count.count(),
        generation,
        stripe.value());
    return tenants.create(
        new TenantCreateRequest(
            TenantShardId.unsharded(tenant),
            Generation.of(generation),
            count,
            stripe,
            new PlacementPolicy.Attached(0),
            JsonNodeFactory.instance.objectNode()),
        WAIT);
  }
}
