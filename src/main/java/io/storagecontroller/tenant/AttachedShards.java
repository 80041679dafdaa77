package io.storagecontroller.tenant;

import io.storagecontroller.model.NodeId;
import io.storagecontroller.model.PlacementPolicy;
import io.storagecontroller.model.Refusal;
import io.storagecontroller.model.TenantId;
import io.storagecontroller.model.TenantShardId;
import io.storagecontroller.shard.ShardView;
import java.util.ArrayList;
import java.util.List;
import org.springframework.stereotype.Component;

/**
 * Where each shard of a tenant is attached right now, for the routes that call the pageservers on
 * the caller's behalf. Routes by the node holding the latest generation, not the intent, so a call
 * made mid-migration reaches the node that serves the shard (Neon's #9065).
 */
@Component
public class AttachedShards {
  private final TenantService tenants;

  public AttachedShards(TenantService tenants) {
    this.tenants = tenants;
  }

  /** One shard and the node that holds its current generation. */
  public record Location(TenantShardId shard, NodeId node) {}

  /**
   * Every shard in shard order (shard 0 first); 503 or 409 when some shard is not attached, 503
   * while the tenant is splitting.
   */
  public List<Location> of(TenantId tenant) {
    List<ShardView> shards = tenants.requireTenant(tenant);
    List<Location> out = new ArrayList<>(shards.size());
    for (ShardView shard : shards) {
      if (!(shard.policy() instanceof PlacementPolicy.Attached)) {
        throw Refusal.conflict(
            "Tenant "
                + tenant
                + " has placement policy "
                + shard.policy()
                + " and is not attached");
      }
      if (shard.splitting()) {
        // The parents are going away on the pageservers; the children are not there yet.
        throw Refusal.unavailable(
            "Tenant " + tenant + " is being split; retry when the split is done");
      }
      if (shard.generation() == null || shard.generationPageserver() == null) {
        throw Refusal.unavailable("One or more shards in tenant is not yet attached");
      }
      out.add(new Location(shard.id(), shard.generationPageserver()));
    }
    return out;
  }
}
