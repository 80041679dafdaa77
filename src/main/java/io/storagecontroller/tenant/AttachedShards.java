package io.storagecontroller.tenant;

import io.storagecontroller.model.Generation;
import io.storagecontroller.model.LocationConfigMode;
import io.storagecontroller.model.NodeId;
import io.storagecontroller.model.PlacementPolicy;
import io.storagecontroller.model.Refusal;
import io.storagecontroller.model.TenantId;
import io.storagecontroller.model.TenantShardId;
import io.storagecontroller.shard.ShardStore;
import io.storagecontroller.shard.ShardView;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.springframework.stereotype.Component;

/**
 * Where each shard of a tenant is attached right now, for the routes that call the pageservers on
 * the caller's behalf. Routes by the node holding the latest generation, not the intent, so a call
 * made mid-migration reaches the node that serves the shard (Neon's #9065).
 */
@Component
public class AttachedShards {
  private static final Set<LocationConfigMode> ATTACHED =
      EnumSet.of(
          LocationConfigMode.ATTACHED_SINGLE,
          LocationConfigMode.ATTACHED_MULTI,
          LocationConfigMode.ATTACHED_STALE);

  private final TenantService tenants;
  private final ShardStore store;

  public AttachedShards(TenantService tenants, ShardStore store) {
    this.tenants = tenants;
    this.store = store;
  }

  /**
   * One shard, the node that holds its current generation, and the nodes still attached in an older
   * one (a migration under way): Neon creates a timeline there too, so that a compute can start on
   * it whichever location serves it next.
   */
  public record Location(
      TenantShardId shard, NodeId node, Generation generation, List<NodeId> staleAttached) {}

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
      out.add(
          new Location(
              shard.id(), shard.generationPageserver(), shard.generation(), staleAttached(shard)));
    }
    return out;
  }

  /**
   * Whether any shard's generation has moved on since {@code used} was read: whatever was done at
   * those locations may have reached a pageserver that no longer serves the shard (read from the
   * database, which is ahead of memory while a generation is being issued).
   */
  public boolean generationsMovedOn(List<Location> used) {
    Map<TenantShardId, Generation> stored =
        store.storedGenerations(used.stream().map(Location::shard).toList());
    return used.stream().anyMatch(l -> !l.generation().equals(stored.get(l.shard())));
  }

  private static List<NodeId> staleAttached(ShardView shard) {
    List<NodeId> stale = new ArrayList<>();
    shard
        .observed()
        .forEach(
            (node, config) -> {
              if (!node.equals(shard.generationPageserver())
                  && config.map(c -> ATTACHED.contains(c.mode())).orElse(false)) {
                stale.add(node);
              }
            });
    return stale;
  }
}
