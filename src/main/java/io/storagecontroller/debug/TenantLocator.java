package io.storagecontroller.debug;

import io.storagecontroller.model.Refusal;
import io.storagecontroller.model.TenantId;
import io.storagecontroller.node.NodeAddress;
import io.storagecontroller.node.NodeService;
import io.storagecontroller.shard.ShardView;
import io.storagecontroller.tenant.TenantService;
import java.util.ArrayList;
import java.util.List;
import org.springframework.stereotype.Component;

/** Locates a tenant's shards by their intended attachment, as Neon's {@code tenant_locate}. */
@Component
public class TenantLocator {
  private final TenantService tenants;
  private final NodeService nodes;

  public TenantLocator(TenantService tenants, NodeService nodes) {
    this.tenants = tenants;
    this.nodes = nodes;
  }

  /**
   * 404 for an unknown tenant; 400 when a shard has no attached location (a detached or secondary
   * tenant: there is nowhere for a compute to connect).
   */
  public TenantLocateResponse locate(TenantId tenant) {
    List<ShardView> shards = tenants.requireTenant(tenant);
    List<TenantLocateResponse.Shard> located = new ArrayList<>(shards.size());
    for (ShardView shard : shards) {
      if (shard.attached() == null) {
        throw Refusal.badRequest("Cannot locate a tenant that is not attached");
      }
      NodeAddress address = nodes.get(shard.attached()).address();
      located.add(
          new TenantLocateResponse.Shard(
              shard.id(),
              shard.attached(),
              address.listenPgAddr(),
              address.listenPgPort(),
              address.listenGrpcAddr(),
              address.listenGrpcPort(),
              address.listenHttpAddr(),
              address.listenHttpPort(),
              address.listenHttpsPort()));
    }
    ShardView first = shards.get(0);
    return new TenantLocateResponse(
        located,
        new TenantLocateResponse.ShardParams(
            first.id().shardCount().literal(), first.stripeSize().value()));
  }
}
